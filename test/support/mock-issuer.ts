import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fakeIdToken, fakeJwt } from './fake-auth';

/** One ChatGPT account the mock issuer can log in and refresh. */
export interface MockAccount {
  accountId: string;
  email?: string;
  plan?: string;
  /** Extra claims under `https://api.openai.com/auth` (organization_id, is_org_owner...). */
  authClaims?: Record<string, unknown>;
}

/** Tokens as the token endpoint returns them (snake_case, as on the wire). */
export interface IssuedTokenSet {
  id_token: string;
  access_token: string;
  refresh_token: string;
}

/** A request the mock received, parsed. */
export interface IssuerRequest {
  method: string;
  path: string;
  contentType: string;
  /** The raw body text. */
  raw: string;
  /** JSON or form fields, whichever the content type says. */
  fields: Record<string, string>;
  /** What the request was for: refresh, code, token-exchange, authorize, or other. */
  kind: 'refresh' | 'code' | 'api-key' | 'authorize' | 'other';
}

/** How the next refresh answers instead of succeeding. */
export type RefreshFailure = 'invalid_grant' | 'server_error' | 'echo_secret';

/**
 * A stand-in for the OAuth issuer (auth.openai.com) on 127.0.0.1: `/oauth/authorize` sends the
 * browser straight back to the redirect URI with a code, as a user who clicked "allow" would;
 * `/oauth/token` serves the code exchange (checking the PKCE verifier), the API-key token
 * exchange and refreshes. Refresh tokens rotate: each works once, as the real issuer's do.
 */
export class MockIssuer {
  readonly url: string;
  readonly requests: IssuerRequest[] = [];
  /** Every token, code and API key this mock handed out: the secrets a test scans output for. */
  readonly issued: string[] = [];
  /** The account the next browser login signs in as. */
  loginAccount: MockAccount = { accountId: 'acc-login', email: 'login@example.com', plan: 'plus' };
  /** Make the API-key exchange fail (it must not fail the login). */
  failApiKeyExchange = false;
  /** Make the code exchange fail with this status. */
  failCodeExchange?: number;
  private readonly refreshFailures: RefreshFailure[] = [];
  private readonly refreshTokens = new Map<string, MockAccount>();
  private readonly codes = new Map<string, { account: MockAccount; challenge: string; redirectUri: string; clientId: string }>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<{ match: (r: IssuerRequest) => boolean; resolve: (r: IssuerRequest) => void }> = [];
  private gate?: { promise: Promise<void>; open: () => void };
  private counter = 0;

  private constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<MockIssuer> {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = new MockIssuer(server);
    handler = (req, res) => void issuer.handle(req, res);
    return issuer;
  }

  /** New tokens for an account, whose refresh token the mock will accept once. */
  issue(account: MockAccount): IssuedTokenSet {
    const n = ++this.counter;
    const refreshToken = `rt-${account.accountId}-${n}-${randomBytes(6).toString('hex')}`;
    this.refreshTokens.set(refreshToken, account);
    const tokens = {
      id_token: fakeIdTokenFor(account),
      access_token: fakeJwt({ sub: account.accountId, n, exp: 4102444800 }),
      refresh_token: refreshToken,
    };
    this.issued.push(tokens.id_token, tokens.access_token, tokens.refresh_token);
    return tokens;
  }

  /** auth.json content for an account, with tokens this mock will refresh. */
  authJson(account: MockAccount, options: { lastRefresh?: Date; apiKey?: string | null } = {}): { json: Record<string, unknown>; tokens: IssuedTokenSet } {
    const tokens = this.issue(account);
    return {
      tokens,
      json: {
        OPENAI_API_KEY: options.apiKey ?? null,
        tokens: { ...tokens, account_id: account.accountId },
        last_refresh: (options.lastRefresh ?? new Date()).toISOString(),
      },
    };
  }

  /** The next refresh fails this way (queue; each entry is used once). */
  failNextRefresh(kind: RefreshFailure): void {
    this.refreshFailures.push(kind);
  }

  /** Holds every refresh answer until the returned function is called. */
  holdRefreshes(): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
    return () => {
      this.gate = undefined;
      open();
    };
  }

  count(kind: IssuerRequest['kind']): number {
    return this.requests.filter((r) => r.kind === kind).length;
  }

  /** Resolves with the first request (received or future) that matches. */
  waitFor(match: (r: IssuerRequest) => boolean, timeoutMs = 10_000): Promise<IssuerRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('MockIssuer: no matching request arrived')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  async close(): Promise<void> {
    this.gate?.open();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const contentType = String(req.headers['content-type'] ?? '');
    let fields: Record<string, string> = {};
    if (contentType.startsWith('application/json')) {
      try {
        fields = JSON.parse(raw) as Record<string, string>;
      } catch {
        fields = {};
      }
    } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      fields = Object.fromEntries(new URLSearchParams(raw));
    } else if (req.method === 'GET') {
      fields = Object.fromEntries(url.searchParams);
    }
    const kind: IssuerRequest['kind'] =
      url.pathname === '/oauth/authorize'
        ? 'authorize'
        : url.pathname !== '/oauth/token'
          ? 'other'
          : fields.grant_type === 'refresh_token'
            ? 'refresh'
            : fields.grant_type === 'authorization_code'
              ? 'code'
              : fields.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange'
                ? 'api-key'
                : 'other';
    const request: IssuerRequest = { method: req.method ?? '', path: url.pathname, contentType, raw, fields, kind };
    this.requests.push(request);
    for (const w of [...this.waiters]) {
      if (w.match(request)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(request);
      }
    }
    switch (kind) {
      case 'authorize':
        return this.authorize(fields, res);
      case 'refresh':
        if (this.gate) await this.gate.promise;
        return this.refresh(fields, res);
      case 'code':
        return this.code(fields, res);
      case 'api-key':
        return this.apiKey(res);
      default:
        return json(res, 404, { error: 'not_found' });
    }
  }

  private apiKey(res: ServerResponse): void {
    if (this.failApiKeyExchange) return json(res, 400, { error: 'invalid_request', error_description: 'no organization' });
    const key = `sk-exchanged-${this.loginAccount.accountId}-${randomBytes(6).toString('hex')}`;
    this.issued.push(key);
    json(res, 200, { access_token: key });
  }

  private authorize(q: Record<string, string>, res: ServerResponse): void {
    const code = `code-${randomBytes(8).toString('hex')}`;
    this.issued.push(code);
    this.codes.set(code, { account: this.loginAccount, challenge: q.code_challenge ?? '', redirectUri: q.redirect_uri ?? '', clientId: q.client_id ?? '' });
    const back = new URL(q.redirect_uri ?? 'http://invalid');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  private code(f: Record<string, string>, res: ServerResponse): void {
    if (this.failCodeExchange) return json(res, this.failCodeExchange, { error: 'server_error', error_description: `the code ${f.code} was refused` });
    const entry = this.codes.get(f.code ?? '');
    if (!entry) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown code' });
    this.codes.delete(f.code);
    const challenge = createHash('sha256')
      .update(f.code_verifier ?? '')
      .digest('base64url');
    if (challenge !== entry.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    if (f.redirect_uri !== entry.redirectUri || f.client_id !== entry.clientId)
      return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri or client_id mismatch' });
    json(res, 200, this.issue(entry.account));
  }

  private refresh(f: Record<string, string>, res: ServerResponse): void {
    const failure = this.refreshFailures.shift();
    if (failure === 'server_error') return json(res, 500, { error: 'server_error' });
    if (failure === 'echo_secret') return json(res, 401, { error: 'invalid_token', error_description: `token ${f.refresh_token} is not valid` });
    const account = this.refreshTokens.get(f.refresh_token ?? '');
    if (failure === 'invalid_grant' || !account) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'The refresh token has already been used or is invalid.' });
    }
    this.refreshTokens.delete(f.refresh_token);
    json(res, 200, this.issue(account));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function fakeIdTokenFor(account: MockAccount): string {
  if (!account.authClaims) return fakeIdToken({ email: account.email, plan: account.plan, accountId: account.accountId });
  const auth: Record<string, unknown> = { ...account.authClaims, chatgpt_account_id: account.accountId };
  if (account.plan !== undefined) auth.chatgpt_plan_type = account.plan;
  return fakeJwt({ email: account.email ?? 'user@example.com', 'https://api.openai.com/auth': auth });
}

/** Follows a URL like a browser, redirects included, with `localhost` read as 127.0.0.1; returns every hop. */
export async function browse(start: string, maxHops = 5): Promise<Array<{ url: string; status: number; body: string; location?: string }>> {
  const hops: Array<{ url: string; status: number; body: string; location?: string }> = [];
  let url = start;
  for (let i = 0; i < maxHops; i++) {
    const target = new URL(url);
    if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
    const response = await fetch(target, { redirect: 'manual' });
    const body = await response.text();
    const location = response.headers.get('location') ?? undefined;
    hops.push({ url, status: response.status, body, location });
    if (!location || response.status < 300 || response.status >= 400) break;
    url = new URL(location, url).toString();
  }
  return hops;
}
