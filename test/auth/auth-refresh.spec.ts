import { expect } from 'chai';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthManager, AuthRefreshError, REFRESH_AFTER_MS } from '../../src/auth/auth-manager';
import { MockIssuer, type MockAccount } from '../support/mock-issuer';
import { createTestContainer } from '../support/test-container';
import { TempHome } from '../support/temp-home';

const DAY = 24 * 60 * 60 * 1000;
const X: MockAccount = { accountId: 'acc-X', email: 'x@example.com', plan: 'pro' };
const Y: MockAccount = { accountId: 'acc-Y', email: 'y@example.com', plan: 'plus' };

describe('AuthManager: refresh, adoption and writes (AUTH.md §3, §6)', () => {
  let home: TempHome;
  let issuer: MockIssuer;
  const saved = { key: process.env.OPENAI_API_KEY, issuer: process.env.AGENTWIRE_AUTH_ISSUER };

  beforeEach(async () => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.AGENTWIRE_AUTH_ISSUER;
    issuer = await MockIssuer.start();
    home = new TempHome();
  });
  afterEach(async () => {
    for (const [name, value] of [
      ['OPENAI_API_KEY', saved.key],
      ['AGENTWIRE_AUTH_ISSUER', saved.issuer],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await issuer.close();
    home.remove();
  });

  /** A manager as one server process has it. */
  async function manager(tree: Record<string, unknown> = {}): Promise<AuthManager> {
    const auth = createTestContainer({ home: home.path, tree: { auth_issuer: issuer.url, ...tree } }).resolve(AuthManager);
    await auth.load();
    return auth;
  }

  function writeAuth(json: Record<string, unknown>): void {
    home.write('auth.json', JSON.stringify(json, null, 2));
  }

  const authFile = () => JSON.parse(readFileSync(join(home.path, 'auth.json'), 'utf8')) as Record<string, any>;
  const old = () => new Date(Date.now() - 30 * DAY);

  it('uses tokens younger than 28 days as they are', async () => {
    const { json, tokens } = issuer.authJson(X, { lastRefresh: new Date(Date.now() - 27 * DAY) });
    writeAuth(json);
    const auth = await manager();
    expect(await auth.requestHeaders()).to.deep.equal({ authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': 'acc-X' });
    expect(issuer.count('refresh')).to.equal(0);
  });

  it('refreshes tokens older than 28 days before use and writes them back atomically, mode 0600', async () => {
    const { json, tokens } = issuer.authJson(X, { lastRefresh: old(), apiKey: 'sk-kept-in-file-123' });
    json.future_member = { kept: true };
    writeAuth(json);
    const auth = await manager();
    const before = Date.now();
    const headers = await auth.requestHeaders();
    expect(issuer.count('refresh')).to.equal(1);
    const file = authFile();
    expect(headers.authorization).to.equal(`Bearer ${file.tokens.access_token}`);
    expect(file.tokens.access_token).to.not.equal(tokens.access_token);
    expect(file.tokens.refresh_token).to.not.equal(tokens.refresh_token);
    expect(file.tokens.account_id).to.equal('acc-X');
    expect(file.OPENAI_API_KEY).to.equal('sk-kept-in-file-123');
    expect(file.future_member).to.deep.equal({ kept: true });
    expect(Date.parse(file.last_refresh)).to.be.at.least(before - 1000);
    expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);
    // Fresh now: the next request uses it without another call.
    await auth.requestHeaders();
    expect(issuer.count('refresh')).to.equal(1);
    expect(existsSync(join(home.path, 'auth.json.lock'))).to.equal(false);
  });

  it('treats tokens without last_refresh as due for a refresh', async () => {
    const { json } = issuer.authJson(X);
    delete json.last_refresh;
    writeAuth(json);
    const auth = await manager();
    await auth.requestHeaders();
    expect(issuer.count('refresh')).to.equal(1);
  });

  it('makes one call for many requests that need the refresh at once', async () => {
    writeAuth(issuer.authJson(X, { lastRefresh: old() }).json);
    const auth = await manager();
    const all = await Promise.all([auth.requestHeaders(), auth.requestHeaders(), auth.status({ includeToken: true }), auth.requestHeaders()]);
    expect(issuer.count('refresh')).to.equal(1);
    expect(new Set(all.slice(0, 2).map((h) => (h as Record<string, string>).authorization)).size).to.equal(1);
  });

  it('turns a failed refresh into a readable error, keeps the login and the file, and reports it in getAuthStatus', async () => {
    const { json, tokens } = issuer.authJson(X, { lastRefresh: old() });
    writeAuth(json);
    const text = readFileSync(join(home.path, 'auth.json'), 'utf8');
    const auth = await manager();
    issuer.failNextRefresh('invalid_grant');
    const err = (await auth.requestHeaders().catch((e: unknown) => e)) as Error;
    expect(err).to.be.instanceOf(AuthRefreshError);
    expect(err.message).to.match(/^Failed to refresh token: 400 Bad Request \(invalid_grant/);
    for (const secret of Object.values(tokens)) expect(err.message).not.to.contain(secret);
    expect(readFileSync(join(home.path, 'auth.json'), 'utf8')).to.equal(text);
    expect(auth.current()?.method).to.equal('chatgpt');

    issuer.failNextRefresh('server_error');
    const status = await auth.status({ includeToken: true });
    expect(status).to.deep.equal({ preferredAuthMethod: 'chatgpt', authMethod: 'chatgpt', authError: 'Failed to refresh token: 500 Internal Server Error (server_error)' });
  });

  it('reports the network failure of a refresh without crashing', async () => {
    writeAuth(issuer.authJson(X, { lastRefresh: old() }).json);
    const auth = await manager({ auth_issuer: 'http://127.0.0.1:9' });
    const status = await auth.status({ includeToken: true });
    expect(status.authMethod).to.equal('chatgpt');
    expect(status.authToken).to.equal(undefined);
    expect(status.authError).to.match(/^Failed to refresh token: error sending request: /);
  });

  it('refreshToken:true refreshes fresh tokens; a failure keeps the old token and adds authError', async () => {
    const { json, tokens } = issuer.authJson(X);
    writeAuth(json);
    const auth = await manager();
    const refreshed = await auth.status({ includeToken: true, refreshToken: true });
    expect(issuer.count('refresh')).to.equal(1);
    expect(refreshed.authToken).to.equal(authFile().tokens.access_token).and.not.equal(tokens.access_token);

    issuer.failNextRefresh('invalid_grant');
    const failed = await auth.status({ includeToken: true, refreshToken: true });
    expect(failed.authToken).to.equal(refreshed.authToken);
    expect(failed.authError).to.match(/invalid_grant/);
  });

  it('refreshToken:true does nothing for an API key', async () => {
    writeAuth({ OPENAI_API_KEY: 'sk-plain-key-1' });
    const auth = await manager();
    expect(await auth.status({ includeToken: true, refreshToken: true })).to.deep.equal({ preferredAuthMethod: 'chatgpt', authMethod: 'apikey', authToken: 'sk-plain-key-1' });
    expect(issuer.requests).to.have.length(0);
  });

  it('after a 401, refreshes once, and not again for a token that already changed', async () => {
    const { json, tokens } = issuer.authJson(X);
    writeAuth(json);
    const auth = await manager();
    expect(await auth.refreshAfterUnauthorized(tokens.access_token)).to.equal(true);
    expect(await auth.refreshAfterUnauthorized(tokens.access_token)).to.equal(true);
    expect(issuer.count('refresh')).to.equal(1);
  });

  describe('two processes on one home folder', () => {
    it('adopts another process’s refresh of the same account (newer last_refresh)', async () => {
      const { json } = issuer.authJson(X, { lastRefresh: new Date(Date.now() - 2 * DAY) });
      writeAuth(json);
      const mine = await manager();
      const other = await manager();
      await other.refresh();
      const status = await mine.status({ includeToken: true });
      expect(status.authToken).to.equal(authFile().tokens.access_token);
      expect(issuer.count('refresh')).to.equal(1);
    });

    it('ignores another account, an API key, and a deleted file', async () => {
      const { json, tokens } = issuer.authJson(X);
      writeAuth(json);
      const auth = await manager();
      writeAuth(issuer.authJson(Y, { lastRefresh: new Date(Date.now() + DAY) }).json);
      expect((await auth.status({ includeToken: true })).authToken).to.equal(tokens.access_token);
      writeAuth({ OPENAI_API_KEY: 'sk-other-process-1' });
      expect(await auth.status({ includeToken: true })).to.deep.include({ authMethod: 'chatgpt', authToken: tokens.access_token });
      home.write('auth.json', '');
      expect((await auth.requestHeaders()).authorization).to.equal(`Bearer ${tokens.access_token}`);
    });

    it('refreshes an account the file no longer holds in memory only, leaving the other login on disk', async () => {
      const { json } = issuer.authJson(X, { lastRefresh: old() });
      writeAuth(json);
      const auth = await manager();
      const other = issuer.authJson(Y).json;
      writeAuth(other);
      const headers = await auth.requestHeaders();
      expect(issuer.count('refresh')).to.equal(1);
      expect(headers['chatgpt-account-id']).to.equal('acc-X');
      expect(authFile()).to.deep.equal(other);
    });

    it('two managers that both need a refresh make one call and both end with the new token', async () => {
      writeAuth(issuer.authJson(X, { lastRefresh: old() }).json);
      const a = await manager();
      const b = await manager();
      const release = issuer.holdRefreshes();
      const first = a.requestHeaders();
      await issuer.waitFor((r) => r.kind === 'refresh');
      const second = b.requestHeaders();
      release();
      const [ha, hb] = await Promise.all([first, second]);
      expect(issuer.count('refresh')).to.equal(1);
      expect(ha.authorization).to.equal(hb.authorization).and.equal(`Bearer ${authFile().tokens.access_token}`);
    });
  });

  describe('login and logout', () => {
    it('loginWithApiKey writes {"OPENAI_API_KEY": key} with mode 0600 and uses it at once', async () => {
      writeAuth(issuer.authJson(X).json);
      const auth = await manager();
      await auth.loginWithApiKey('sk-new-login-key-1');
      expect(authFile()).to.deep.equal({ OPENAI_API_KEY: 'sk-new-login-key-1' });
      expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);
      expect(await auth.status({ includeToken: true })).to.deep.equal({ preferredAuthMethod: 'chatgpt', authMethod: 'apikey', authToken: 'sk-new-login-key-1' });
    });

    it('keeps mode 0600 when replacing a file that was world-readable', async () => {
      writeFileSync(join(home.path, 'auth.json'), '{"OPENAI_API_KEY":"sk-old-key-123"}', { mode: 0o644 });
      const auth = await manager();
      await auth.loginWithApiKey('sk-new-login-key-2');
      expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);
    });

    it('loginWithChatGpt stores tokens, account id, key and last_refresh', async () => {
      const auth = await manager();
      const t = issuer.issue(Y);
      await auth.loginWithChatGpt({ idToken: t.id_token, accessToken: t.access_token, refreshToken: t.refresh_token, apiKey: 'sk-exchanged-1' });
      const file = authFile();
      expect(file.tokens).to.deep.equal({ ...t, account_id: 'acc-Y' });
      expect(file.OPENAI_API_KEY).to.equal('sk-exchanged-1');
      expect(Date.now() - Date.parse(file.last_refresh)).to.be.lessThan(60_000);
      expect(auth.current()).to.deep.include({ method: 'chatgpt', accessToken: t.access_token, accountId: 'acc-Y' });
    });

    it('logout deletes auth.json, then falls back to the environment key as a reload does', async () => {
      writeAuth(issuer.authJson(X).json);
      const auth = await manager();
      expect(await auth.logout()).to.equal(true);
      expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
      expect(await auth.status({ includeToken: true })).to.deep.equal({ preferredAuthMethod: 'chatgpt' });
      process.env.OPENAI_API_KEY = 'sk-env-after-logout';
      expect(await auth.logout()).to.equal(false);
      expect(auth.current()).to.deep.include({ method: 'apikey', apiKey: 'sk-env-after-logout' });
    });
  });

  it('REFRESH_AFTER_MS is 28 days', () => {
    expect(REFRESH_AFTER_MS).to.equal(28 * DAY);
  });
});
