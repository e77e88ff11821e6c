import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';
import type { ChatGptLoginTokens } from './auth-manager';
import { parseIdToken, type IdTokenClaims } from './id-token';
import { IssuerError, type IssuerClient } from './issuer';
import { scrubSecrets } from './secrets';

/*
 * The browser login of AUTH.md §4. This module is loaded only when a login starts (it pulls in
 * node:http and node:crypto), never on the server's start-up path.
 */

/** codex's callback port. */
export const DEFAULT_LOGIN_PORT = 1455;
/** A login nobody finishes ends after this long. */
export const DEFAULT_LOGIN_TIMEOUT_MS = 10 * 60 * 1000;
/** 0.29's text for a login ended by `cancelLoginChatGpt` (transcript login-chatgpt.jsonl). */
export const LOGIN_CANCELLED = 'Login server error: Login was not completed';
/** The error of a login nobody finished within its timeout. */
export const LOGIN_TIMED_OUT = 'Login timed out';
/** How long the server stays up after a success, for the browser to load the success page. */
const SUCCESS_PAGE_GRACE_MS = 10_000;
const SCOPE = 'openid profile email offline_access';
const PLATFORM_URL = 'https://platform.openai.com';

/** How a login ended. `error` is readable and holds no secret. */
export type LoginOutcome = { success: true } | { success: false; error: string };

/** What a login needs: the issuer, where to listen, how long to wait, where to store the result. */
export interface ChatGptLoginOptions {
  issuer: IssuerClient;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** 0 waits for ever. */
  timeoutMs?: number;
  /** Stores the login (AuthManager.loginWithChatGpt); a throw fails the login. */
  store: (tokens: ChatGptLoginTokens) => Promise<void>;
  log?: Logger;
}

/** The callback server could not be started; the message is the one sent to the client. */
export class LoginStartError extends Error {}

/**
 * One browser login: a callback server on 127.0.0.1, the authorize URL with a PKCE S256
 * challenge and a random state, then, when the browser comes back, the code exchange, the
 * API-key exchange (whose failure is not fatal) and the store. {@link done} settles once, with
 * success, failure, cancel or timeout; the server is then closed (after a success it first
 * serves the success page, for a few seconds at most).
 */
export class ChatGptLogin {
  readonly loginId = randomUUID();
  readonly done: Promise<LoginOutcome>;
  /** Resolves once the callback server has stopped (after the success page, on a success). */
  readonly closed: Promise<void>;
  private settle!: (outcome: LoginOutcome) => void;
  private finished = false;
  private exchanging = false;
  private timer?: NodeJS.Timeout;
  private graceTimer?: NodeJS.Timeout;
  private readonly verifier = base64url(randomBytes(64));
  private readonly state = base64url(randomBytes(32));
  private successQuery = '';
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: ChatGptLoginOptions,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
    this.closed = new Promise((resolve) => server.once('close', () => resolve()));
  }

  /** Starts the callback server; throws {@link LoginStartError} with 0.29's text when the port is taken. */
  static async start(options: ChatGptLoginOptions): Promise<ChatGptLogin> {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
    const server = createServer((req, res) => handler(req, res));
    const port = options.port ?? DEFAULT_LOGIN_PORT;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LoginStartError(`failed to start login server: ${code === 'EADDRINUSE' ? 'Address in use (os error 98)' : (code ?? (err as Error).message)}`);
    }
    server.on('error', (err) => options.log?.warn({ reason: err.message }, 'login server error'));
    const login = new ChatGptLogin(server, (server.address() as AddressInfo).port, options);
    handler = (req, res) => login.handle(req, res);
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    if (timeoutMs > 0) {
      login.timer = setTimeout(() => login.finish({ success: false, error: LOGIN_TIMED_OUT }), timeoutMs);
      login.timer.unref();
    }
    return login;
  }

  /** Where the issuer sends the browser back: codex uses `localhost`, while the server listens on 127.0.0.1. */
  get redirectUri(): string {
    return `http://localhost:${this.port}/auth/callback`;
  }

  /** The page the user opens, in the parameter order codex uses (AUTH.md §4). */
  get authUrl(): string {
    const q = (v: string) => encodeURIComponent(v);
    return (
      `${this.options.issuer.authorizeUrl}?response_type=code&client_id=${q(this.options.issuer.settings.clientId)}` +
      `&redirect_uri=${q(this.redirectUri)}&scope=${q(SCOPE)}&code_challenge=${pkceChallenge(this.verifier)}` +
      `&code_challenge_method=S256&id_token_add_organizations=true&codex_cli_simplified_flow=true&state=${this.state}`
    );
  }

  /** Ends the login unfinished (`cancelLoginChatGpt`); no-op once it has ended. */
  cancel(): void {
    this.finish({ success: false, error: LOGIN_CANCELLED });
  }

  /** Frees the port at once, the success page included; an unfinished login ends as cancelled. */
  close(): void {
    this.finish({ success: false, error: LOGIN_CANCELLED });
    this.stopServer();
  }

  private finish(outcome: LoginOutcome): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    if (outcome.success) {
      this.graceTimer = setTimeout(() => this.stopServer(), SUCCESS_PAGE_GRACE_MS);
      this.graceTimer.unref();
    } else {
      this.stopServer();
    }
    this.settle(outcome);
  }

  private stopServer(): void {
    clearTimeout(this.graceTimer);
    this.server.close();
    this.server.closeAllConnections();
  }

  /**
   * Anything may connect to the port, so nothing here may throw: a throw in a request listener is
   * an uncaught exception, and the request gets no reply. Node itself answers requests it cannot
   * parse (and request lines over its 16 KiB header limit) with 400 or 431 before we see them.
   */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (req.method !== 'GET') return reply(res, 405, 'Method Not Allowed');
      const url = requestUrl(req.url);
      if (!url) return reply(res, 400, 'Bad Request');
      if (url.pathname === '/auth/callback') {
        this.callback(url, res).catch((err: unknown) => this.failedReply(res, err));
        return;
      }
      if (url.pathname === '/success' && this.successQuery !== '') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
        res.end(SUCCESS_PAGE);
        res.once('finish', () => this.stopServer());
        return;
      }
      reply(res, 404, 'Not Found');
    } catch (err) {
      this.failedReply(res, err);
    }
  }

  private failedReply(res: ServerResponse, err: unknown): void {
    this.options.log?.warn({ reason: err instanceof Error ? err.message : String(err) }, 'login callback request failed');
    if (!res.headersSent) reply(res, 500, 'Internal Server Error');
    else res.destroy();
  }

  private async callback(url: URL, res: ServerResponse): Promise<void> {
    if (this.finished || this.exchanging) return reply(res, 400, 'Login is no longer in progress');
    // Mismatch and a missing code leave the login waiting, as in codex: a stray request must
    // not end it.
    if (url.searchParams.get('state') !== this.state) return reply(res, 400, 'State mismatch');
    const code = url.searchParams.get('code');
    if (!code) return reply(res, 400, 'Missing authorization code');
    this.exchanging = true;
    let claims: IdTokenClaims;
    try {
      const issued = await this.options.issuer.exchangeCode(code, this.redirectUri, this.verifier);
      try {
        claims = parseIdToken(issued.idToken);
      } catch {
        throw new IssuerError('Token exchange failed: the id_token is not a JWT');
      }
      let apiKey: string | null = null;
      try {
        apiKey = await this.options.issuer.exchangeApiKey(issued.idToken);
      } catch (err) {
        this.options.log?.info({ reason: (err as Error).message }, 'no API key for this login; continuing without one');
      }
      if (this.finished) return reply(res, 400, 'Login is no longer in progress');
      await this.options.store({ idToken: issued.idToken, accessToken: issued.accessToken, refreshToken: issued.refreshToken, apiKey });
    } catch (err) {
      const message = scrubSecrets(err instanceof Error ? err.message : String(err), [code, this.verifier]);
      const text = message.startsWith('Token exchange failed') ? message : `Login failed: ${message}`;
      this.options.log?.warn({ reason: text }, 'ChatGPT login failed');
      reply(res, 500, text);
      this.finish({ success: false, error: text });
      return;
    }
    this.successQuery = successQuery(claims);
    res.writeHead(302, { location: `http://localhost:${this.port}/success?${this.successQuery}` });
    res.end();
    this.finish({ success: true });
  }
}

/**
 * The request target as a URL, or undefined when it is not one. The target is usually a path
 * (origin form); a path is put after a fixed origin as text, because `new URL('//', base)` reads
 * `//` as the start of a host and throws. An absolute target (`http://host/path`, what proxies
 * send) is parsed as it is, and one that does not parse (`http://[`) is refused.
 */
function requestUrl(target: string | undefined): URL | undefined {
  const text = target ?? '/';
  if (URL.canParse(text)) return new URL(text);
  const path = `http://localhost${text}`;
  return text.startsWith('/') && URL.canParse(path) ? new URL(path) : undefined;
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** The details codex puts on its success page's URL (AUTH.md §4); nothing secret. */
function successQuery(claims: IdTokenClaims): string {
  const needsSetup = claims.isOrgOwner === true && claims.completedPlatformOnboarding !== true;
  return new URLSearchParams({
    needs_setup: String(needsSetup),
    org_id: claims.organizationId ?? '',
    project_id: claims.projectId ?? '',
    plan_type: claims.planType ?? '',
    platform_url: PLATFORM_URL,
  }).toString();
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** PKCE S256: base64url(sha256(verifier)) without padding (RFC 7636). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const SUCCESS_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>Signed in</title></head>' +
  '<body><h1>Signed in to agentwire</h1><p>You can close this page and return to your terminal.</p></body></html>';
