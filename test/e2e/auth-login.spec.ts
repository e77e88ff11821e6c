import { expect } from 'chai';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { authHomeConfig, indexOf, readAuthJson } from '../support/auth-e2e';
import { McpTestClient } from '../support/mcp-client';
import { MockIssuer, browse } from '../support/mock-issuer';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** loginChatGpt, cancelLoginChatGpt, logoutChatGpt, loginApiKey and their notifications (WIRE.md §5.8–5.10, §5.14, §6.3). */
describe('agentwire mcp: login and logout', () => {
  let issuer: MockIssuer;
  let model: MockProvider;
  let home: TempHome;
  let client: McpTestClient;

  async function start(options: { auth?: unknown; loginTimeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<void> {
    issuer = await MockIssuer.start();
    model = await MockProvider.start();
    home = new TempHome({ config: authHomeConfig(model.url, issuer.url, { loginTimeoutMs: options.loginTimeoutMs }), auth: options.auth });
    client = McpTestClient.spawn({ home: home.path, env: { OPENAI_API_KEY: undefined, AGENTWIRE_AUTH_ISSUER: undefined, ...options.env } });
    await client.initialize();
  }

  afterEach(async () => {
    await client?.close();
    await issuer?.close();
    await model?.close();
    home?.remove();
  });

  const complete = (loginId: string) => client.waitForNotification('codex/event/login_chat_gpt_complete', (p) => p.loginId === loginId);
  const statusChange = (nth = 1) => {
    let seen = 0;
    return client.waitFor((m) => m.method === 'codex/event/auth_status_change' && ++seen === nth, 10_000, `auth_status_change #${nth}`);
  };

  it('loginChatGpt end to end: the browser comes back, auth.json is written, both notifications follow, getAuthStatus uses the new login', async () => {
    await start();
    issuer.loginAccount = { accountId: 'acc-new', email: 'new@example.com', plan: 'plus' };
    const reply = await client.request('loginChatGpt');
    const { loginId, authUrl } = reply.result as { loginId: string; authUrl: string };
    expect(loginId).to.match(UUID);
    expect(authUrl).to.match(
      new RegExp(
        `^${issuer.url}/oauth/authorize\\?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann&redirect_uri=http%3A%2F%2Flocalhost%3A\\d+%2Fauth%2Fcallback&scope=openid%20profile%20email%20offline_access&code_challenge=[\\w-]{43}&code_challenge_method=S256&id_token_add_organizations=true&codex_cli_simplified_flow=true&state=[\\w-]{43}$`,
      ),
    );

    const hops = await browse(authUrl);
    expect(hops.map((h) => h.status)).to.deep.equal([302, 302, 200]);
    const done = await complete(loginId);
    expect(done.params).to.deep.equal({ loginId, success: true });
    const change = await statusChange();
    expect(change.params).to.deep.equal({ authMethod: 'chatgpt' });
    expect(client.messages.indexOf(done)).to.be.lessThan(client.messages.indexOf(change));

    const file = readAuthJson(home.path);
    expect(file.tokens.account_id).to.equal('acc-new');
    expect(file.OPENAI_API_KEY).to.match(/^sk-exchanged-/);
    expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);
    const status = await client.request('getAuthStatus', { includeToken: true });
    expect(status.result).to.deep.equal({ preferredAuthMethod: 'chatgpt', authMethod: 'chatgpt', authToken: file.tokens.access_token });
  });

  it('one login at a time; cancel answers {} and then login_chat_gpt_complete with 0.29 text; unknown ids are -32600', async () => {
    await start();
    const { loginId } = (await client.request('loginChatGpt', {})).result as { loginId: string };
    const second = await client.request('loginChatGpt');
    expect(second.error).to.deep.equal({ code: -32603, message: 'failed to start login server: Address in use (os error 98)' });

    const cancel = await client.request('cancelLoginChatGpt', { loginId });
    expect(cancel.result).to.deep.equal({});
    const done = await complete(loginId);
    expect(done.params).to.deep.equal({ loginId, success: false, error: 'Login server error: Login was not completed' });
    expect(client.messages.indexOf(cancel)).to.be.lessThan(client.messages.indexOf(done));
    expect((await statusChange()).params).to.deep.equal({});

    const again = await client.request('cancelLoginChatGpt', { loginId });
    expect(again.error).to.deep.equal({ code: -32600, message: `login id not found: ${loginId}` });
    expect((await client.request('cancelLoginChatGpt', { loginId: 'nope' })).error.code).to.equal(-32602);
    expect((await client.request('cancelLoginChatGpt')).error.code).to.equal(-32602);
    // The port is free again: a new login starts.
    expect((await client.request('loginChatGpt')).result.loginId).to.match(UUID);
  });

  it('a failed code exchange ends the login with success:false and a readable error', async () => {
    await start();
    issuer.failCodeExchange = 500;
    const { loginId, authUrl } = (await client.request('loginChatGpt')).result as { loginId: string; authUrl: string };
    await browse(authUrl);
    const done = await complete(loginId);
    expect(done.params.success).to.equal(false);
    expect(done.params.error).to.match(/^Token exchange failed: 500 Internal Server Error/);
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
    expect((await statusChange()).params).to.deep.equal({});
  });

  it('a login nobody finishes times out (login_timeout_ms)', async () => {
    await start({ loginTimeoutMs: 200 });
    const { loginId } = (await client.request('loginChatGpt')).result as { loginId: string };
    expect((await complete(loginId)).params).to.deep.equal({ loginId, success: false, error: 'Login timed out' });
  });

  it('logoutChatGpt deletes auth.json, answers {}, then auth_status_change {}', async () => {
    await start({ auth: { OPENAI_API_KEY: 'sk-before-logout-1' } });
    const reply = await client.request('logoutChatGpt');
    expect(reply.result).to.deep.equal({});
    const change = await statusChange();
    expect(change.params).to.deep.equal({});
    expect(indexOf(client, (m) => m === reply)).to.be.lessThan(client.messages.indexOf(change));
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
    expect((await client.request('getAuthStatus', { includeToken: true })).result).to.deep.equal({ preferredAuthMethod: 'chatgpt' });
  });

  it('loginApiKey stores the key (0600), answers {}, then auth_status_change {authMethod:"apikey"}', async () => {
    await start();
    const reply = await client.request('loginApiKey', { apiKey: 'sk-login-api-key-1' });
    expect(reply.result).to.deep.equal({});
    const change = await statusChange();
    expect(change.params).to.deep.equal({ authMethod: 'apikey' });
    expect(client.messages.indexOf(reply)).to.be.lessThan(client.messages.indexOf(change));
    expect(readAuthJson(home.path)).to.deep.equal({ OPENAI_API_KEY: 'sk-login-api-key-1' });
    expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);
    expect((await client.request('getAuthStatus', { includeToken: true })).result).to.deep.equal({
      preferredAuthMethod: 'chatgpt',
      authMethod: 'apikey',
      authToken: 'sk-login-api-key-1',
    });
  });

  it('still shuts down cleanly on SIGTERM after the auth.json lock was used', async () => {
    // The lock library brings signal-exit, which would re-raise the signal before shutdown ends.
    await start();
    await client.request('loginApiKey', { apiKey: 'sk-before-sigterm-1' });
    client.proc.kill('SIGTERM');
    expect(await client.exited).to.deep.equal({ code: 0, signal: null });
  });

  it('loginApiKey refuses a missing or blank key with -32602, without echoing it', async () => {
    await start();
    const blank = await client.request('loginApiKey', { apiKey: '   ' });
    expect(blank.error).to.deep.include({ code: -32602, message: 'Invalid params: apiKey: must not be empty' });
    expect((await client.request('loginApiKey', {})).error.code).to.equal(-32602);
    expect((await client.request('loginApiKey', { apiKey: 42 })).error.code).to.equal(-32602);
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
  });
});
