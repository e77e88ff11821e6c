import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdToken, type IdTokenClaims } from './id-token';

/** The ChatGPT tokens of auth.json (AUTH.md §1). */
export interface ChatGptTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  accountId: string | null;
  claims: IdTokenClaims;
}

/** auth.json as read: both credentials may be present. */
export interface AuthFile {
  apiKey: string | null;
  tokens?: ChatGptTokens;
  /** When the tokens were last obtained, if recorded. */
  lastRefresh?: Date;
  /**
   * The parsed JSON object as it was on disk, so a rewrite keeps members this version does not
   * know (a later codex may add some). Absent for logins that never came from a file.
   */
  raw?: Record<string, unknown>;
}

/** auth.json exists but cannot be used (unreadable, not JSON, incomplete tokens). */
export class AuthFileError extends Error {}

/** `<home>/auth.json`. */
export function authFilePath(home: string): string {
  return join(home, 'auth.json');
}

/** Reads `<home>/auth.json`; undefined when there is none. Throws AuthFileError when it cannot be used. */
export function readAuthFile(home: string): AuthFile | undefined {
  let text: string;
  try {
    // Synchronous: a small file, read once at start-up before the server answers anything, and
    // later only under the auth lock.
    text = readFileSync(authFilePath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuthFileError(`cannot read auth.json: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseAuthFile(text);
}

/** Parses the text of auth.json (AUTH.md §1); a malformed id_token makes the whole file unusable. */
export function parseAuthFile(text: string): AuthFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AuthFileError('auth.json is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AuthFileError('auth.json is not an object');
  const obj = raw as Record<string, unknown>;
  const apiKey = typeof obj.OPENAI_API_KEY === 'string' && obj.OPENAI_API_KEY !== '' ? obj.OPENAI_API_KEY : null;
  const file: AuthFile = { apiKey, raw: obj };
  if (obj.tokens !== undefined && obj.tokens !== null) {
    const t = obj.tokens as Record<string, unknown>;
    if (typeof t !== 'object' || typeof t.id_token !== 'string' || typeof t.access_token !== 'string' || typeof t.refresh_token !== 'string') {
      throw new AuthFileError('auth.json tokens are incomplete');
    }
    file.tokens = {
      idToken: t.id_token,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      accountId: typeof t.account_id === 'string' ? t.account_id : null,
      claims: parseIdToken(t.id_token),
    };
  }
  if (typeof obj.last_refresh === 'string') {
    const when = new Date(obj.last_refresh);
    if (!Number.isNaN(when.getTime())) file.lastRefresh = when;
  }
  return file;
}

/**
 * The JSON object to write for a login, in codex's layout (AUTH.md §1): `OPENAI_API_KEY` always
 * present (null when absent), `tokens` and `last_refresh` only with tokens. Members of `file.raw`
 * that agentwire does not manage are kept.
 */
export function toAuthJson(file: AuthFile): Record<string, unknown> {
  const out: Record<string, unknown> = { OPENAI_API_KEY: file.apiKey };
  if (file.tokens) {
    const rawTokens = file.raw?.tokens;
    out.tokens = {
      ...(typeof rawTokens === 'object' && rawTokens !== null ? rawTokens : {}),
      id_token: file.tokens.idToken,
      access_token: file.tokens.accessToken,
      refresh_token: file.tokens.refreshToken,
      account_id: file.tokens.accountId,
    };
  }
  if (file.lastRefresh) out.last_refresh = file.lastRefresh.toISOString();
  for (const [key, value] of Object.entries(file.raw ?? {})) {
    if (!(key in out) && key !== 'tokens' && key !== 'last_refresh') out[key] = value;
  }
  return out;
}

/**
 * What identifies one version of auth.json on disk, for noticing that another process replaced
 * it: every atomic write renames a new inode over the old one, so the inode changes even when
 * size and mtime do not. Undefined when there is no file.
 */
export function authFileIdentity(home: string): string | undefined {
  try {
    const st = statSync(authFilePath(home), { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return undefined;
  }
}
