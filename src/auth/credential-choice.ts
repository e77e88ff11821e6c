import type { AuthMethod } from '../config/config-schema';
import type { AuthFile } from './auth-file';

/** Plans whose users are billed through an API key when both credentials exist (AUTH.md §2 rule 4). */
const API_KEY_PLANS = new Set(['business', 'enterprise', 'edu']);

/**
 * Which credential of auth.json is used, by the rules measured on codex 0.29 (AUTH.md §2):
 * a lone credential wins; with both, the preference `apikey` picks the key; otherwise an
 * `@openai.com` email picks ChatGPT, a business/enterprise/edu plan or a missing plan claim
 * picks the key, and any other plan picks ChatGPT.
 */
export function chooseAuthMethod(file: AuthFile, preferred: AuthMethod): AuthMethod | undefined {
  const hasKey = file.apiKey !== null;
  const tokens = file.tokens;
  if (!tokens) return hasKey ? 'apikey' : undefined;
  if (!hasKey) return 'chatgpt';
  if (preferred === 'apikey') return 'apikey';
  const email = tokens.claims.email?.trim().toLowerCase();
  if (email?.endsWith('@openai.com')) return 'chatgpt';
  const plan = tokens.claims.planType;
  if (plan === undefined || API_KEY_PLANS.has(plan)) return 'apikey';
  return 'chatgpt';
}
