import type { AgentwireConfig } from '../config/config';
import { scrubSecrets } from './secrets';

/** codex's OAuth issuer (AUTH.md §3, §4). */
export const DEFAULT_ISSUER = 'https://auth.openai.com';
/** codex's OAuth client id (AUTH.md §3, §4). */
export const DEFAULT_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/** Every call to the issuer gives up after this long (codex wraps its refresh in the same). */
export const ISSUER_TIMEOUT_MS = 60_000;
/** The scope of a refresh request, as codex sends it. */
const REFRESH_SCOPE = 'openid profile email';
/** Longest excerpt of an issuer's error body put into a message. */
const MAX_BODY_EXCERPT = 300;

/** Where the OAuth endpoints are and who we are to them. */
export interface IssuerSettings {
  /** Base URL without a trailing slash; `<issuer>/oauth/token`, `<issuer>/oauth/authorize`. */
  issuer: string;
  clientId: string;
}

/**
 * The issuer from `AGENTWIRE_AUTH_ISSUER` (which wins), else config `auth_issuer`, else codex's;
 * the client id from config `auth_client_id`, else codex's (CONFIG.md).
 */
export function issuerSettings(config: AgentwireConfig, env: NodeJS.ProcessEnv = process.env): IssuerSettings {
  const fromEnv = env.AGENTWIRE_AUTH_ISSUER?.trim();
  const issuer = fromEnv || (config.get('auth_issuer') as string | undefined) || DEFAULT_ISSUER;
  const clientId = (config.get('auth_client_id') as string | undefined) || DEFAULT_CLIENT_ID;
  return { issuer: issuer.replace(/\/+$/, ''), clientId };
}

/** A failed call to the issuer; the message is readable and holds no token. */
export class IssuerError extends Error {
  constructor(
    message: string,
    /** The OAuth `error` code of the answer (`invalid_grant`...), when there was one. */
    readonly oauthError?: string,
    /** The HTTP status, when the issuer answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'IssuerError';
  }
}

/** Tokens as the token endpoint returns them; only `id_token` is sure to be there on a refresh. */
export interface IssuedTokens {
  idToken: string;
  accessToken?: string;
  refreshToken?: string;
}

/** Seams for tests. */
export interface IssuerClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The three calls agentwire makes to the OAuth issuer's token endpoint (AUTH.md §3, §4). Each
 * call has a 60 s timeout; every failure is an {@link IssuerError} whose message has been
 * scrubbed of the tokens sent and of anything token-shaped the issuer echoed.
 */
export class IssuerClient {
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly settings: IssuerSettings,
    options: IssuerClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? ISSUER_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** `<issuer>/oauth/token`: refresh, code exchange and token exchange. */
  get tokenUrl(): string {
    return `${this.settings.issuer}/oauth/token`;
  }

  /** `<issuer>/oauth/authorize`: the page the browser login opens. */
  get authorizeUrl(): string {
    return `${this.settings.issuer}/oauth/authorize`;
  }

  /** Refreshes ChatGPT tokens: a JSON body, as codex sends it (AUTH.md §3). */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const body = JSON.stringify({
      client_id: this.settings.clientId,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: REFRESH_SCOPE,
    });
    const json = await this.post(body, 'application/json', 'Failed to refresh token', 'timed out while refreshing OpenAI API key', [refreshToken]);
    return readTokens(json, false, 'Failed to refresh token', [refreshToken]);
  }

  /** Exchanges the authorization code of the browser login (form-encoded, PKCE verifier). */
  async exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<Required<IssuedTokens>> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: this.settings.clientId,
      code_verifier: codeVerifier,
    }).toString();
    const secrets = [code, codeVerifier];
    const json = await this.post(body, 'application/x-www-form-urlencoded', 'Token exchange failed', 'Token exchange failed: timed out', secrets);
    return readTokens(json, true, 'Token exchange failed', secrets) as Required<IssuedTokens>;
  }

  /** Trades the id token for an API key (RFC 8693 token exchange, AUTH.md §4). */
  async exchangeApiKey(idToken: string): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      client_id: this.settings.clientId,
      requested_token: 'openai-api-key',
      subject_token: idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    }).toString();
    const json = await this.post(body, 'application/x-www-form-urlencoded', 'API key exchange failed', 'API key exchange failed: timed out', [idToken]);
    if (typeof json.access_token !== 'string' || json.access_token === '') throw new IssuerError('API key exchange failed: no access_token in the answer');
    return json.access_token;
  }

  private async post(body: string, contentType: string, what: string, timeoutText: string, secrets: string[]): Promise<Record<string, unknown>> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(this.tokenUrl, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body, signal });
      text = await response.text();
    } catch (err) {
      if (signal.aborted) throw new IssuerError(timeoutText);
      throw new IssuerError(scrubSecrets(`${what}: error sending request: ${describeNetworkError(err)}`, secrets));
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const oauth = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
      const code = typeof oauth?.error === 'string' ? oauth.error : undefined;
      const description = typeof oauth?.error_description === 'string' ? oauth.error_description : undefined;
      const detail = code ? (description ? `${code}: ${description}` : code) : Array.from(text).slice(0, MAX_BODY_EXCERPT).join('').trim();
      // A dead refresh token cannot be fixed by retrying; say what will fix it.
      const hint = code === 'invalid_grant' ? '; log in again' : '';
      const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw new IssuerError(scrubSecrets(`${what}: ${statusLine}${detail ? ` (${detail})` : ''}${hint}`, secrets), code, response.status);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new IssuerError(`${what}: the answer is not a JSON object`);
    return json as Record<string, unknown>;
  }
}

function readTokens(json: Record<string, unknown>, allRequired: boolean, what: string, secrets: string[]): IssuedTokens {
  const str = (key: string) => (typeof json[key] === 'string' && json[key] !== '' ? json[key] : undefined);
  const tokens: IssuedTokens = { idToken: str('id_token') ?? '', accessToken: str('access_token'), refreshToken: str('refresh_token') };
  const missing = ['id_token', ...(allRequired ? ['access_token', 'refresh_token'] : [])].filter((k) => !str(k));
  if (missing.length > 0) throw new IssuerError(scrubSecrets(`${what}: the answer has no ${missing.join(', ')}`, secrets));
  return tokens;
}

/** fetch wraps the interesting part (ECONNREFUSED, a DNS failure) in `cause`. */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  const inner = cause instanceof Error ? cause : err instanceof Error ? err : undefined;
  if (!inner) return String(err);
  const code = (inner as NodeJS.ErrnoException).code;
  return code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}
