import { expect } from 'chai';
import { connect, createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthManager } from '../../src/auth/auth-manager';
import { ChatGptLogin, LOGIN_CANCELLED, LOGIN_TIMED_OUT, LoginStartError, pkceChallenge } from '../../src/auth/chatgpt-login';
import { browse, MockIssuer } from '../support/mock-issuer';
import { createTestContainer } from '../support/test-container';
import { TempHome } from '../support/temp-home';

describe('ChatGptLogin: the browser login (AUTH.md §4)', () => {
  let home: TempHome;
  let issuer: MockIssuer;
  let auth: AuthManager;
  let login: ChatGptLogin | undefined;
  const savedIssuer = process.env.AGENTWIRE_AUTH_ISSUER;

  beforeEach(async () => {
    delete process.env.AGENTWIRE_AUTH_ISSUER;
    issuer = await MockIssuer.start();
    home = new TempHome();
    auth = createTestContainer({ home: home.path, tree: { auth_issuer: issuer.url, auth_client_id: 'client-login' } }).resolve(AuthManager);
    await auth.load();
  });
  afterEach(async () => {
    login?.close();
    login = undefined;
    if (savedIssuer !== undefined) process.env.AGENTWIRE_AUTH_ISSUER = savedIssuer;
    await issuer.close();
    home.remove();
  });

  async function start(options: { timeoutMs?: number; port?: number } = {}): Promise<ChatGptLogin> {
    login = await ChatGptLogin.start({ issuer: auth.issuer(), port: options.port ?? 0, timeoutMs: options.timeoutMs, store: (t) => auth.loginWithChatGpt(t) });
    return login;
  }

  it('builds the authorize URL codex builds', async () => {
    const l = await start();
    const url = new URL(l.authUrl);
    expect(`${url.origin}${url.pathname}`).to.equal(`${issuer.url}/oauth/authorize`);
    expect(l.authUrl).to.contain(
      `?response_type=code&client_id=client-login&redirect_uri=http%3A%2F%2Flocalhost%3A${l.port}%2Fauth%2Fcallback&scope=openid%20profile%20email%20offline_access&code_challenge=`,
    );
    expect(l.authUrl).to.match(/&code_challenge_method=S256&id_token_add_organizations=true&codex_cli_simplified_flow=true&state=[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).to.equal('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('end to end: the browser comes back, the code and the API key are exchanged, auth.json is written, the success page shows', async () => {
    issuer.loginAccount = {
      accountId: 'acc-browser',
      email: 'b@example.com',
      plan: 'plus',
      authClaims: { organization_id: 'org-1', project_id: 'proj-1', is_org_owner: true, completed_platform_onboarding: false },
    };
    const l = await start();
    const hops = await browse(l.authUrl);
    expect(hops.map((h) => h.status)).to.deep.equal([302, 302, 200]);
    expect(hops[1].location).to.equal(
      `http://localhost:${l.port}/success?needs_setup=true&org_id=org-1&project_id=proj-1&plan_type=plus&platform_url=https%3A%2F%2Fplatform.openai.com`,
    );
    expect(hops[2].body).to.contain('Signed in');
    expect(await l.done).to.deep.equal({ success: true });
    await l.closed;
    const file = JSON.parse(readFileSync(join(home.path, 'auth.json'), 'utf8'));
    expect(file.OPENAI_API_KEY).to.match(/^sk-exchanged-acc-browser-/);
    expect(file.tokens.account_id).to.equal('acc-browser');
    expect(auth.current()).to.deep.include({ method: 'chatgpt', accountId: 'acc-browser', accessToken: file.tokens.access_token });
    const code = issuer.requests.find((r) => r.kind === 'code')!;
    expect(code.fields.redirect_uri).to.equal(l.redirectUri);
    expect(code.fields.client_id).to.equal('client-login');
  });

  it('keeps waiting after a wrong state or a missing code', async () => {
    const l = await start();
    const [wrong] = await browse(`${l.redirectUri}?code=c&state=nope`);
    expect(wrong).to.deep.include({ status: 400, body: 'State mismatch' });
    const state = new URL(l.authUrl).searchParams.get('state')!;
    const [missing] = await browse(`${l.redirectUri}?state=${state}`);
    expect(missing).to.deep.include({ status: 400, body: 'Missing authorization code' });
    const hops = await browse(l.authUrl);
    expect(hops.at(-1)!.status).to.equal(200);
    expect(await l.done).to.deep.equal({ success: true });
  });

  /** Sends raw bytes to the callback server and returns the status line of its answer (the connection is closed after). */
  function rawRequest(port: number, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer.split('\r\n')[0]));
    });
  }

  // Issue 18 finding 10: `GET //` and `GET http://[` threw in the request listener (an uncaught exception, no reply).
  it('answers malformed requests with 4xx and keeps serving the login', async () => {
    const l = await start();
    const get = (target: string, headers = 'Host: localhost\r\n') => rawRequest(l.port, `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);
    expect(await get('//')).to.equal('HTTP/1.1 404 Not Found');
    expect(await get('//auth/callback')).to.equal('HTTP/1.1 404 Not Found');
    expect(await get('http://[')).to.equal('HTTP/1.1 400 Bad Request');
    expect(await get('http://[::1')).to.equal('HTTP/1.1 400 Bad Request');
    expect(await get('no-slash')).to.equal('HTTP/1.1 400 Bad Request');
    expect(await get('/auth/callback?state=%zz&code=%')).to.equal('HTTP/1.1 400 Bad Request');
    expect(await get('/%ff%00/..%2f')).to.equal('HTTP/1.1 404 Not Found');
    expect(await get(`/auth/callback?state=${'x'.repeat(20_000)}`)).to.equal('HTTP/1.1 431 Request Header Fields Too Large');
    expect(await get('/auth/callback', '')).to.equal('HTTP/1.1 400 Bad Request');
    expect(await rawRequest(l.port, 'GET /elsewhere HTTP/1.0\r\n\r\n')).to.equal('HTTP/1.1 404 Not Found');
    expect(await rawRequest(l.port, 'POST /auth/callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc')).to.equal(
      'HTTP/1.1 405 Method Not Allowed',
    );
    expect(await rawRequest(l.port, 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).to.equal('HTTP/1.1 405 Method Not Allowed');
    // An absolute target names the same resource as its path.
    expect(await get(`http://localhost:${l.port}/auth/callback?state=nope&code=c`)).to.equal('HTTP/1.1 400 Bad Request');
    // Still serving: the login completes.
    const hops = await browse(l.authUrl);
    expect(hops.at(-1)!.status).to.equal(200);
    expect(await l.done).to.deep.equal({ success: true });
  });

  it('a failed code exchange is HTTP 500 for the browser and a failed login, with nothing written', async () => {
    issuer.failCodeExchange = 503;
    const l = await start();
    const hops = await browse(l.authUrl);
    expect(hops[1].status).to.equal(500);
    expect(hops[1].body).to.match(/^Token exchange failed: 503 Service Unavailable/);
    const outcome = await l.done;
    expect(outcome).to.deep.include({ success: false });
    expect((outcome as { error: string }).error).to.equal(hops[1].body);
    // The issuer echoed the code in its error; it is not repeated.
    const code = issuer.requests.find((r) => r.kind === 'code')!.fields.code;
    expect(hops[1].body).not.to.contain(code);
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
  });

  it('a failed API-key exchange still logs in, without a key', async () => {
    issuer.failApiKeyExchange = true;
    const l = await start();
    await browse(l.authUrl);
    expect(await l.done).to.deep.equal({ success: true });
    expect(JSON.parse(readFileSync(join(home.path, 'auth.json'), 'utf8')).OPENAI_API_KEY).to.equal(null);
  });

  it('cancel ends it with 0.29 text and frees the port', async () => {
    const l = await start();
    l.cancel();
    expect(await l.done).to.deep.equal({ success: false, error: LOGIN_CANCELLED });
    await l.closed;
    login = await start({ port: l.port });
    expect(login.port).to.equal(l.port);
  });

  it('times out', async () => {
    const l = await start({ timeoutMs: 100 });
    expect(await l.done).to.deep.equal({ success: false, error: LOGIN_TIMED_OUT });
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
  });

  it('a taken port is 0.29 text', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await start({ port }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(LoginStartError).with.property('message', 'failed to start login server: Address in use (os error 98)');
    } finally {
      blocker.close();
    }
  });
});
