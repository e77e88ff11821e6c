import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHomeConfig, readAuthJson } from '../support/auth-e2e';
import { McpTestClient } from '../support/mcp-client';
import { MockIssuer, browse, type MockAccount } from '../support/mock-issuer';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const X: MockAccount = { accountId: 'acc-X', email: 'x@example.com', plan: 'pro' };
const Y: MockAccount = { accountId: 'acc-Y', email: 'y@example.com', plan: 'plus' };

/**
 * The seed scenario of the auth issue: two server processes on one home folder. Another
 * process's logout and login as someone else never change the account this process uses.
 */
describe('agentwire mcp: one home folder, two processes (seed scenario)', () => {
  let issuer: MockIssuer;
  let model: MockProvider;
  let home: TempHome;
  let work: string;
  let p1: McpTestClient;
  let p2: McpTestClient | undefined;

  beforeEach(async () => {
    issuer = await MockIssuer.start();
    model = await MockProvider.start();
    home = new TempHome({ config: authHomeConfig(model.url, issuer.url) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
  });
  afterEach(async () => {
    await p1?.close();
    await p2?.close();
    await issuer.close();
    await model.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const spawn = () => McpTestClient.spawn({ home: home.path, env: { OPENAI_API_KEY: undefined, AGENTWIRE_AUTH_ISSUER: undefined } });

  async function conversation(client: McpTestClient): Promise<string> {
    const id = (await client.request('newConversation', { cwd: work })).result.conversationId as string;
    await client.request('addConversationListener', { conversationId: id });
    return id;
  }

  function send(client: McpTestClient, id: string, text: string) {
    return client.request('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text } }] });
  }

  const turnDone = (client: McpTestClient, id: string, nth = 1) => {
    let seen = 0;
    return client.waitFor((m) => m.method === 'codex/event/task_complete' && m.params?.conversationId === id && ++seen === nth, 10_000, 'task_complete');
  };

  it('process 1 keeps account X for its running and new conversations and in getAuthStatus after process 2 switches to Y', async () => {
    const x = issuer.authJson(X);
    home.write('auth.json', JSON.stringify(x.json, null, 2));
    p1 = spawn();
    await p1.initialize();

    // Process 1's turn stops half-way on an approval, while process 2 switches accounts.
    let approve!: () => void;
    const switched = new Promise<void>((resolve) => (approve = resolve));
    const asked = new Promise<void>((resolve) => {
      p1.onRequest('execCommandApproval', async () => {
        resolve();
        await switched;
        return { decision: 'approved' };
      });
    });
    model.enqueue({ kind: 'tool_call', name: 'shell', callId: 'c1', arguments: { command: ['touch', 'made.txt'] } }, { kind: 'text', text: 'turn one done' });
    const running = await conversation(p1);
    await send(p1, running, 'make a file');
    await asked;

    p2 = spawn();
    await p2.initialize();
    expect((await p2.request('logoutChatGpt')).result).to.deep.equal({});
    issuer.loginAccount = Y;
    const { loginId, authUrl } = (await p2.request('loginChatGpt')).result as { loginId: string; authUrl: string };
    await browse(authUrl);
    expect((await p2.waitForNotification('codex/event/login_chat_gpt_complete', (p) => p.loginId === loginId)).params.success).to.equal(true);
    const y = readAuthJson(home.path);
    expect(y.tokens.account_id).to.equal('acc-Y');
    expect((await p2.request('getAuthStatus', { includeToken: true })).result.authToken).to.equal(y.tokens.access_token);

    approve();
    await turnDone(p1, running);
    model.enqueue({ kind: 'text', text: 'second turn' });
    await send(p1, running, 'again');
    await turnDone(p1, running, 2);
    model.enqueue({ kind: 'text', text: 'new conversation' });
    const fresh = await conversation(p1);
    await send(p1, fresh, 'hello');
    await turnDone(p1, fresh);

    const requests = await model.waitForRequests(4);
    for (const [i, request] of requests.entries()) {
      expect(request.headers.authorization, `process 1 request ${i}`).to.equal(`Bearer ${x.tokens.access_token}`);
      expect(request.headers['chatgpt-account-id'], `process 1 request ${i}`).to.equal('acc-X');
    }
    const status = (await p1.request('getAuthStatus', { includeToken: true })).result;
    expect(status).to.deep.equal({ preferredAuthMethod: 'chatgpt', authMethod: 'chatgpt', authToken: x.tokens.access_token });

    // And process 2 really uses Y.
    model.enqueue({ kind: 'text', text: 'from two' });
    const other = await conversation(p2);
    await send(p2, other, 'hi');
    await turnDone(p2, other);
    const [, , , , fifth] = await model.waitForRequests(5);
    expect(fifth.headers.authorization).to.equal(`Bearer ${y.tokens.access_token}`);
    expect(fifth.headers['chatgpt-account-id']).to.equal('acc-Y');
    expect(issuer.count('refresh')).to.equal(0);
  });
});
