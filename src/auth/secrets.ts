/** Put where a secret was, so a message still shows that something was there. */
export const REDACTED = '[REDACTED]';

/** Shorter values would blank ordinary words without protecting anything. */
const MIN_SECRET_LENGTH = 8;

/**
 * JWT-shaped text: an issuer may echo a token we never saw (a rotated one, say), and every OAuth
 * token it hands out is a JWT, so any of them is treated as a secret.
 */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** OpenAI-style API keys, for the same reason. */
const API_KEY_PATTERN = /\bsk-[A-Za-z0-9_-]{8,}/g;

/**
 * Removes the given secrets, and anything shaped like a token or an API key, from a text that
 * came from outside (an issuer's error body, a network error) before it goes into a message.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  const known = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  known.sort((a, b) => b.length - a.length);
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(JWT_PATTERN, REDACTED).replace(API_KEY_PATTERN, REDACTED);
}

/**
 * An API key as `codex login status` shows it: enough to tell two keys apart, never the key.
 * Short keys are hidden entirely.
 */
export function maskApiKey(key: string): string {
  if (key.length <= 13) return '***';
  return `${key.slice(0, 8)}***${key.slice(-5)}`;
}
