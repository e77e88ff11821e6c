import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHomeConfig, readAuthJson } from '../support/auth-e2e';
import { McpTestClient } from '../support/mcp-client';
import { MockIssuer, browse } from '../support/mock-issuer';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const API_KEY = 'sk-fake-secret-apikey-0001';

function rolloutLines(home: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.jsonl')) out.push(...readFileSync(path, 'utf8').split('\n'));
    }
  };
  walk(join(home, 'sessions'));
  return out;
}

/** The auth issue's point 6: no key or token in any output but the getAuthStatus reply that asked for it. */
describe('agentwire mcp: secrets never leak', () => {
  let issuer: MockIssuer;
  let model: MockProvider;
  let home: TempHome;
  let work: string;
  let client: McpTestClient;

  before(async () => {
    issuer = await MockIssuer.start();
    model = await MockProvider.start();
    home = new TempHome({ config: authHomeConfig(model.url, issuer.url) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
  });
  after(async () => {
    await client?.close();
    await issuer.close();
    await model.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  async function turn(text: string): Promise<void> {
    const id = (await client.request('newConversation', { cwd: work })).result.conversationId as string;
    await client.request('addConversationListener', { conversationId: id });
    await client.request('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text } }] });
    await client.waitForNotification('codex/event/task_complete', (p) => p.conversationId === id);
  }

  it('a whole session (API-key login, browser login, refreshes, a 401, failures, logout) at trace level', async () => {
    client = McpTestClient.spawn({ home: home.path, env: { OPENAI_API_KEY: undefined, AGENTWIRE_AUTH_ISSUER: undefined, AGENTWIRE_LOG: 'trace' } });
    await client.initialize();
    client.onRequest('execCommandApproval', () => ({ decision: 'approved' }));

    await client.request('loginApiKey', { apiKey: API_KEY });
    model.enqueue({ kind: 'text', text: 'with a key' });
    await turn('one');

    const { loginId, authUrl } = (await client.request('loginChatGpt')).result as { loginId: string; authUrl: string };
    await browse(authUrl);
    await client.waitForNotification('codex/event/login_chat_gpt_complete', (p) => p.loginId === loginId);
    // A failed browser login whose issuer error echoes the code.
    issuer.failCodeExchange = 400;
    const failed = (await client.request('loginChatGpt')).result as { loginId: string; authUrl: string };
    await browse(failed.authUrl);
    await client.waitForNotification('codex/event/login_chat_gpt_complete', (p) => p.loginId === failed.loginId);

    model.enqueue(
      { kind: 'http_error', status: 401, body: JSON.stringify({ error: { message: `bad token ${readAuthJson(home.path).tokens.access_token}` } }) },
      { kind: 'tool_call', name: 'shell', callId: 'c1', arguments: { command: ['touch', 'x.txt'] } },
      { kind: 'text', text: 'done' },
    );
    await turn('two');
    await client.request('getAuthStatus', { refreshToken: true });
    issuer.failNextRefresh('echo_secret');
    const echoed = (await client.request('getAuthStatus', { refreshToken: true })).result;
    expect(echoed.authError).to.contain('[REDACTED]');
    // A 401 whose refresh fails, with the issuer echoing the refresh token.
    issuer.failNextRefresh('echo_secret');
    model.enqueue({ kind: 'http_error', status: 401 });
    await turn('three');

    const asked = await client.request('getAuthStatus', { includeToken: true });
    const current = readAuthJson(home.path);
    expect(asked.result.authToken).to.equal(current.tokens.access_token);
    await client.request('logoutChatGpt');
    await client.request('getAuthStatus', {});

    const secrets = new Set<string>([API_KEY, ...issuer.issued]);
    for (const r of issuer.requests) for (const field of ['code_verifier', 'refresh_token', 'subject_token', 'code']) if (r.fields[field]) secrets.add(r.fields[field]);
    expect(secrets.size).to.be.greaterThan(10);

    const outputs: Array<[string, string]> = [
      ...client.messages.filter((m) => m !== asked).map((m, i) => [`stdout message ${i}`, JSON.stringify(m)] as [string, string]),
      ...client.strayLines.map((l, i) => [`stray stdout line ${i}`, l] as [string, string]),
      ...client.stderr.split('\n').map((l, i) => [`stderr line ${i}`, l] as [string, string]),
      ...rolloutLines(home.path).map((l, i) => [`rollout line ${i}`, l] as [string, string]),
    ];
    expect(client.stderr.length, 'trace logs were written').to.be.greaterThan(0);
    expect(rolloutLines(home.path).length, 'rollouts were written').to.be.greaterThan(3);
    for (const [where, text] of outputs) {
      for (const secret of secrets) expect(text.includes(secret), `${where} holds a secret: ${text.slice(0, 300)}`).to.equal(false);
    }
  });
});
