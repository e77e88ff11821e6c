import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authHomeConfig, readAuthJson, waitForStderr } from '../support/auth-e2e';
import { McpTestClient } from '../support/mcp-client';
import { MockIssuer, type MockAccount } from '../support/mock-issuer';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const DAY = 24 * 60 * 60 * 1000;
const X: MockAccount = { accountId: 'acc-X', email: 'x@example.com', plan: 'pro' };

/** Token refresh as the model requests and getAuthStatus see it (AUTH.md §3, §6; WIRE.md §5.7). */
describe('agentwire mcp: token refresh', () => {
  let issuer: MockIssuer;
  let model: MockProvider;
  let home: TempHome;
  const clients: McpTestClient[] = [];
  let work: string;

  beforeEach(async () => {
    issuer = await MockIssuer.start();
    model = await MockProvider.start();
    home = new TempHome({ config: authHomeConfig(model.url, issuer.url) });
    work = home.path;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await issuer.close();
    await model.close();
    home.remove();
  });

  function spawn(env: Record<string, string | undefined> = {}): McpTestClient {
    const client = McpTestClient.spawn({ home: home.path, env: { OPENAI_API_KEY: undefined, AGENTWIRE_AUTH_ISSUER: undefined, ...env } });
    clients.push(client);
    return client;
  }

  function writeAuth(json: Record<string, unknown>): void {
    home.write('auth.json', JSON.stringify(json, null, 2));
  }

  /** One turn in a new conversation; resolves with its task_complete or error events. */
  async function turn(client: McpTestClient, text = 'hi'): Promise<{ id: string; events: Array<Record<string, any>> }> {
    const id = (await client.request('newConversation', { cwd: work })).result.conversationId as string;
    await client.request('addConversationListener', { conversationId: id });
    await client.request('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text } }] });
    await client.waitForNotification('codex/event/task_complete', (p) => p.conversationId === id);
    const events = client.messages.filter((m) => m.params?.conversationId === id && String(m.method).startsWith('codex/event/')).map((m) => m.params.msg);
    return { id, events };
  }

  it('refreshes a token older than 28 days before the model request, and the model gets the new one', async () => {
    const { json, tokens } = issuer.authJson(X, { lastRefresh: new Date(Date.now() - 30 * DAY) });
    writeAuth(json);
    const client = spawn();
    await client.initialize();
    model.enqueue({ kind: 'text', text: 'ok' });
    await turn(client);
    const [request] = await model.waitForRequests(1);
    const file = readAuthJson(home.path);
    expect(file.tokens.access_token).to.not.equal(tokens.access_token);
    expect(request.headers.authorization).to.equal(`Bearer ${file.tokens.access_token}`);
    expect(request.headers['chatgpt-account-id']).to.equal('acc-X');
    expect(issuer.count('refresh')).to.equal(1);
  });

  it('on a 401 from the model, refreshes once and sends the request again before the turn fails', async () => {
    const { json, tokens } = issuer.authJson(X);
    writeAuth(json);
    const client = spawn();
    await client.initialize();
    model.enqueue({ kind: 'http_error', status: 401 }, { kind: 'text', text: 'after refresh' });
    const { events } = await turn(client);
    expect(events.map((e) => e.type)).not.to.include('error');
    expect(events.find((e) => e.type === 'task_complete')!.last_agent_message).to.equal('after refresh');
    const [first, second] = await model.waitForRequests(2);
    expect(first.headers.authorization).to.equal(`Bearer ${tokens.access_token}`);
    expect(second.headers.authorization)
      .to.equal(`Bearer ${readAuthJson(home.path).tokens.access_token}`)
      .and.not.equal(first.headers.authorization);
    expect(issuer.count('refresh')).to.equal(1);
  });

  it('a refresh that fails is an error event and an authError, never a crash or a lost login', async () => {
    const { json } = issuer.authJson(X, { lastRefresh: new Date(Date.now() - 30 * DAY) });
    writeAuth(json);
    const before = readFileSync(join(home.path, 'auth.json'), 'utf8');
    const client = spawn();
    await client.initialize();
    issuer.failNextRefresh('invalid_grant');
    const { events } = await turn(client);
    const error = events.find((e) => e.type === 'error');
    expect(error?.message).to.equal('Failed to refresh token: 400 Bad Request (invalid_grant: The refresh token has already been used or is invalid.); log in again');
    expect(model.requests).to.have.length(0);

    issuer.failNextRefresh('invalid_grant');
    const status = (await client.request('getAuthStatus', { includeToken: true })).result;
    expect(status).to.deep.include({ authMethod: 'chatgpt', preferredAuthMethod: 'chatgpt' });
    expect(status).not.to.have.property('authToken');
    expect(status.authError).to.match(/^Failed to refresh token: 400 Bad Request \(invalid_grant/);
    expect(readFileSync(join(home.path, 'auth.json'), 'utf8')).to.equal(before);
    expect(client.proc.exitCode).to.equal(null);
  });

  it('a 401 whose refresh fails ends the turn with both reasons', async () => {
    writeAuth(issuer.authJson(X).json);
    const client = spawn();
    await client.initialize();
    issuer.failNextRefresh('server_error');
    model.enqueue({ kind: 'http_error', status: 401 });
    const { events } = await turn(client);
    expect(events.find((e) => e.type === 'error')?.message).to.match(/^unexpected status 401 Unauthorized: .*; Failed to refresh token: 500 Internal Server Error/);
  });

  it('two processes that need a refresh at the same moment make one call to the issuer and both end with the new token', async () => {
    const { json, tokens } = issuer.authJson(X, { lastRefresh: new Date(Date.now() - 30 * DAY) });
    writeAuth(json);
    const a = spawn({ AGENTWIRE_LOG: 'debug' });
    const b = spawn({ AGENTWIRE_LOG: 'debug' });
    await Promise.all([a.initialize(), b.initialize()]);
    const release = issuer.holdRefreshes();
    const replies = [a.request('getAuthStatus', { includeToken: true }), b.request('getAuthStatus', { includeToken: true })];
    // One of them is at the issuer, holding the lock; wait until the other is waiting for it.
    await issuer.waitFor((r) => r.kind === 'refresh');
    await Promise.race([waitForStderr(a, /waiting for it/), waitForStderr(b, /waiting for it/)]);
    release();
    const [ra, rb] = await Promise.all(replies);
    const fresh = readAuthJson(home.path).tokens.access_token as string;
    expect(fresh).to.not.equal(tokens.access_token);
    expect(ra.result.authToken).to.equal(fresh);
    expect(rb.result.authToken).to.equal(fresh);
    expect(issuer.count('refresh')).to.equal(1);
  });
});
