import { readFileSync } from 'node:fs';
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
}

export class AuthFileError extends Error {}

export function authFilePath(home: string): string {
  return join(home, 'auth.json');
}

/** Reads `<home>/auth.json`; undefined when there is none. Throws AuthFileError when it cannot be used. */
export function readAuthFile(home: string): AuthFile | undefined {
  let text: string;
  try {
    // Synchronous: a small file read once at start-up, before the server answers anything.
    text = readFileSync(authFilePath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuthFileError(`cannot read auth.json: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseAuthFile(text);
}

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
  const file: AuthFile = { apiKey };
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
