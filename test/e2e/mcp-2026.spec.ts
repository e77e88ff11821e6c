import { expect } from 'chai';
import { eventually } from '../exec/helpers';
import { descendants } from '../support/tasks';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExecApprovalCopy } from '../support/approval-plugin-copy';
import { mockConfig, type EngineOptions } from '../support/engine-home';
import type { JsonMessage } from '../support/mcp-client';
import { MockProvider } from '../support/mock-provider';
import { FORM, ModernClient, envelope } from '../support/modern-client';
import { TempHome } from '../support/temp-home';

const ROOT = join(__dirname, '..', '..', '..');
const VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const CAPS_KEY = 'io.modelcontextprotocol/clientCapabilities';
const ALL_VERSIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

const touch = (name: string, callId = 'call1') => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['touch', name] } });

/** Waits for a text on the server's stderr (its log), listening to the stream itself. */
function stderrShows(client: ModernClient, text: string, timeoutMs = 10_000): Promise<void> {
  const raw = client.raw;
  if (raw.stderr.includes(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!raw.stderr.includes(text)) return;
      clearTimeout(timer);
      raw.proc.stderr.off('data', onData);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error(`stderr never showed ${text}: ${raw.stderr.slice(-2000)}`)), timeoutMs);
    raw.proc.stderr.on('data', onData);
  });
}

function rollouts(home: string): string[] {
  const dir = join(home, 'sessions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.jsonl'))
    .map((p) => readFileSync(join(dir, p), 'utf8'));
}

describe('MCP 2026-07-28 (the modern era) on agentwire mcp, raw JSON-RPC', () => {
  let home: TempHome;
  let mock: MockProvider | undefined;
  let client: ModernClient;
  let work: string;
  const extra: ModernClient[] = [];

  async function start(options: EngineOptions & { plugins?: string[]; setupHome?: (home: TempHome) => void } = {}): Promise<ModernClient> {
    mock = await MockProvider.start();
    const plugins = options.plugins ? `plugins = [${options.plugins.map((p) => JSON.stringify(p)).join(', ')}]\n` : '';
    home = new TempHome({ config: mockConfig(mock.url, { ...options, top: `${plugins}${options.top ?? ''}` }) });
    options.setupHome?.(home);
    work = mkdtempSync(join(tmpdir(), 'agentwire-modern-'));
    client = ModernClient.spawn({ home: home.path, env: { AGENTWIRE_LOG: 'info', ...options.env } });
    return client;
  }

  afterEach(async function () {
    const problems = client ? client.schemaProblems() : [];
    for (const c of extra) problems.push(...c.schemaProblems());
    await client?.close();
    for (const c of extra.splice(0)) await c.close();
    await mock?.close();
    mock = undefined;
    home?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
    // Checked after cleanup, so a failure here leaves nothing running.
    if (this.currentTest?.state !== 'failed') expect(problems, 'server messages that the official 2026-07-28 schema rejects').to.deep.equal([]);
  });

  const codexArgs = (prompt: string, more: Record<string, unknown> = {}) => ({
    prompt,
    cwd: work,
    'approval-policy': 'untrusted',
    sandbox: 'danger-full-access',
    ...more,
  });

  describe('the era of the connection', () => {
    it('answers server/discover first, then serves tools/list with resultType, serverInfo and cache hints', async () => {
      await start();
      const discover = await client.request('server/discover');
      expect(discover.result).to.deep.include({ resultType: 'complete', supportedVersions: ALL_VERSIONS, ttlMs: 300000, cacheScope: 'public' });
      expect(discover.result.capabilities).to.deep.equal({
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        extensions: { 'io.modelcontextprotocol/tasks': {} },
      });
      expect(discover.result.instructions).to.contain('codex-reply');
      expect(discover.result._meta['io.modelcontextprotocol/serverInfo']).to.include({ name: 'agentwire' });
      const list = await client.request('tools/list');
      expect(list.result).to.include({ resultType: 'complete', ttlMs: 300000, cacheScope: 'public' });
      expect(list.result.tools.map((t: { name: string }) => t.name)).to.include.members(['codex', 'codex-reply']);
      expect(list.result._meta).to.have.property('io.modelcontextprotocol/serverInfo');
      expect(client.clientProblems()).to.deep.equal([]);
    });

    it('refuses the handshake after a modern request: initialize gets -32022 naming 2026-07-28 only', async () => {
      await start();
      await client.request('tools/list');
      const init = await client.rawRequest('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
      expect(init.error).to.deep.equal({ code: -32022, message: 'this process serves 2026-07-28 only', data: { supported: ['2026-07-28'], requested: '2025-11-25' } });
      client.notify('notifications/initialized', {});
      expect((await client.request('server/discover')).result.resultType).to.equal('complete');
    });

    it('refuses codex 0.29 methods, ping and logging/setLevel in the modern era, saying why', async () => {
      await start();
      await client.request('server/discover');
      const conv = await client.request('newConversation', {});
      expect(conv.error.code).to.equal(-32601);
      expect(conv.error.message).to.contain('handshake-era method');
      for (const method of ['ping', 'logging/setLevel']) {
        const reply = await client.request(method, method === 'ping' ? {} : { level: 'debug' });
        expect(reply.error.code).to.equal(-32601);
        expect(reply.error.message).to.contain('does not exist in MCP 2026-07-28');
      }
      expect((await client.request('prompts/list')).error.code).to.equal(-32601);
    });

    it('after initialize (the handshake era): server/discover is -32601, a modern request is -32600 naming the version', async () => {
      await start();
      const init = await client.rawRequest('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
      expect(init.result.protocolVersion).to.equal('2025-11-25');
      const discover = await client.request('server/discover');
      expect(discover.error).to.deep.equal({ code: -32601, message: 'Method not found: server/discover' });
      const list = await client.request('tools/list');
      expect(list.error.code).to.equal(-32600);
      expect(list.error.message).to.contain('2025-11-25');
      // The handshake era itself goes on unchanged.
      expect((await client.rawRequest('ping', undefined)).result).to.deep.equal({});
      // Nothing of this era is checked against the modern schema.
      client.raw.messages.length = 0;
    });

    it('a refused probe decides nothing: -32022 lists every version, and initialize still works', async () => {
      await start();
      const probe = await client.request('server/discover', {}, { meta: { ...envelope(), [VERSION_KEY]: '1900-01-01' } });
      expect(probe.error).to.deep.equal({ code: -32022, message: 'Unsupported protocol version', data: { supported: ALL_VERSIONS, requested: '1900-01-01' } });
      const noCaps = await client.request('server/discover', {}, { meta: { [VERSION_KEY]: '2026-07-28' } });
      expect(noCaps.error.code).to.equal(-32602);
      expect(noCaps.error.data).to.deep.equal({ missing: [CAPS_KEY] });
      const init = await client.rawRequest('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
      expect(init.result.protocolVersion).to.equal('2025-06-18');
      client.raw.messages.length = 0;
    });

    it('server/discover without a version key is -32602 and does not lock the era', async () => {
      await start();
      const bare = await client.rawRequest('server/discover', {});
      expect(bare.error.code).to.equal(-32602);
      expect(bare.error.message).to.contain(VERSION_KEY);
      expect((await client.request('server/discover')).result.resultType).to.equal('complete');
    });
  });

  describe('per-request checks once modern', () => {
    it('names a missing _meta key with -32602, and a wrong version with -32022 {supported, requested}', async () => {
      await start();
      await client.request('server/discover');
      const noVersion = await client.rawRequest('tools/list', { _meta: { [CAPS_KEY]: {} } });
      expect(noVersion.error).to.deep.include({ code: -32602, data: { missing: [VERSION_KEY] } });
      expect(noVersion.error.message).to.contain(VERSION_KEY);
      const noMeta = await client.rawRequest('tools/list', {});
      expect(noMeta.error.data).to.deep.equal({ missing: [VERSION_KEY] });
      const noCaps = await client.request('tools/list', {}, { meta: { [VERSION_KEY]: '2026-07-28' } });
      expect(noCaps.error).to.deep.include({ code: -32602, data: { missing: [CAPS_KEY] } });
      const old = await client.request('tools/list', {}, { meta: { ...envelope(), [VERSION_KEY]: '2025-11-25' } });
      expect(old.error).to.deep.equal({ code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'], requested: '2025-11-25' } });
      const level = await client.request('tools/list', {}, { meta: { ...envelope(), 'io.modelcontextprotocol/logLevel': 'loud' } });
      expect(level.error.code).to.equal(-32602);
      // A valid request still works: the server kept serving.
      expect((await client.request('tools/list')).result.resultType).to.equal('complete');
    });

    it('an unknown tool and bad arguments are -32602', async () => {
      await start();
      expect((await client.request('tools/call', { name: 'nope', arguments: {} })).error.code).to.equal(-32602);
      expect((await client.request('tools/call', { name: 'codex', arguments: {} })).error.code).to.equal(-32602);
    });
  });

  describe('approvals as multi round-trip results', () => {
    async function firstLeg(file: string, capabilities: Record<string, unknown> = FORM): Promise<{ args: Record<string, unknown>; reply: JsonMessage }> {
      mock!.enqueue(touch(file), { kind: 'text', text: 'done' });
      const args = codexArgs('make a file');
      const reply = await client.request('tools/call', { name: 'codex', arguments: args }, { capabilities });
      return { args, reply };
    }

    it('approve: input_required with a titled decision form showing command and cwd; the retry runs the command (on disk)', async () => {
      await start();
      await client.request('server/discover');
      const { args, reply } = await firstLeg('approved.txt');
      expect(reply.result.resultType).to.equal('input_required');
      const [key, input] = Object.entries(reply.result.inputRequests)[0] as [string, any];
      expect(key).to.equal('approval-call1');
      expect(input.method).to.equal('elicitation/create');
      expect(input.params.mode).to.equal('form');
      expect(input.params.message).to.contain('touch approved.txt').and.to.contain(work);
      expect(input.params.requestedSchema.properties.decision.oneOf.map((o: { const: string }) => o.const)).to.deep.equal(['approved', 'approved_for_session', 'denied', 'abort']);
      expect(reply.result.requestState).to.match(/^v1\./);
      expect(existsSync(join(work, 'approved.txt'))).to.equal(false);

      const retry = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { [key]: { action: 'accept', content: { decision: 'approved' } } },
        requestState: reply.result.requestState,
      });
      expect(retry.result.resultType).to.equal('complete');
      expect(retry.result.content[0]).to.deep.equal({ type: 'text', text: 'done' });
      expect(retry.result.structuredContent).to.include({ lastAgentMessage: 'done' });
      expect(existsSync(join(work, 'approved.txt'))).to.equal(true);
      expect(client.clientProblems()).to.deep.equal([]);
    });

    it('decline: the command does not run and the model hears it was rejected', async () => {
      await start();
      const { args, reply } = await firstLeg('declined.txt');
      const retry = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { 'approval-call1': { action: 'decline' } },
        requestState: reply.result.requestState,
      });
      expect(retry.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'declined.txt'))).to.equal(false);
      const [, second] = await mock!.waitForRequests(2);
      expect(second.body.messages.find((m: { role: string }) => m.role === 'tool').content).to.equal('exec command rejected by user');
    });

    it('cancel aborts the turn; accept without a decision approves once', async () => {
      await start();
      mock!.enqueue(touch('cancelled.txt'));
      const first = { args: codexArgs('make a file'), reply: undefined as unknown as JsonMessage };
      first.reply = await client.request('tools/call', { name: 'codex', arguments: first.args });
      const aborted = await client.request('tools/call', {
        name: 'codex',
        arguments: first.args,
        inputResponses: { 'approval-call1': { action: 'cancel' } },
        requestState: first.reply.result.requestState,
      });
      expect(aborted.result).to.include({ resultType: 'complete', isError: true });
      expect(existsSync(join(work, 'cancelled.txt'))).to.equal(false);
      const second = await firstLeg('once.txt');
      const done = await client.request('tools/call', {
        name: 'codex',
        arguments: second.args,
        inputResponses: { 'approval-call1': { action: 'accept' } },
        requestState: second.reply.result.requestState,
      });
      expect(done.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'once.txt'))).to.equal(true);
    });

    it('a forged, altered, replayed or foreign requestState gets -32602 and changes nothing', async () => {
      await start();
      const { args, reply } = await firstLeg('guarded.txt');
      const state: string = reply.result.requestState;
      const answer = { 'approval-call1': { action: 'accept', content: { decision: 'approved' } } };
      const [v, body, mac] = state.split('.');
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      const forged = `${v}.${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 1 })).toString('base64url')}.${mac}`;
      for (const bad of [forged, 'v1.e30.AAAA', 'garbage', `${state}x`]) {
        const refused = await client.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: bad });
        expect(refused.error.code, bad).to.equal(-32602);
      }
      // The same state for other arguments is another call's.
      const otherCall = await client.request('tools/call', { name: 'codex', arguments: { ...args, prompt: 'something else' }, inputResponses: answer, requestState: state });
      expect(otherCall.error.code).to.equal(-32602);
      // A state from another server process.
      const other = ModernClient.spawn({ home: home.path });
      extra.push(other);
      const foreign = await other.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: state });
      expect(foreign.error.code).to.equal(-32602);
      expect(existsSync(join(work, 'guarded.txt'))).to.equal(false);

      // Nothing changed: the genuine state still resumes the run, once.
      const ok = await client.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: state });
      expect(ok.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'guarded.txt'))).to.equal(true);
      const replay = await client.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: state });
      expect(replay.error.code).to.equal(-32602);
      expect(replay.error.message).to.contain('already used');
    });

    it('a retry without the elicitation capability gets -32021 {requiredCapabilities} and changes nothing (capabilities are per request)', async () => {
      await start();
      const { args, reply } = await firstLeg('caps.txt');
      const answer = { 'approval-call1': { action: 'accept', content: { decision: 'approved' } } };
      const refused = await client.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: reply.result.requestState }, { capabilities: {} });
      expect(refused.error.code).to.equal(-32021);
      expect(refused.error.data).to.deep.equal({ requiredCapabilities: { elicitation: { form: {} } } });
      expect(existsSync(join(work, 'caps.txt'))).to.equal(false);
      const ok = await client.request('tools/call', { name: 'codex', arguments: args, inputResponses: answer, requestState: reply.result.requestState });
      expect(ok.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'caps.txt'))).to.equal(true);
    });

    it('without the elicitation capability there is no input_required: the approval is denied and the result says why', async () => {
      await start();
      const { reply } = await firstLeg('nocap.txt', {});
      expect(reply.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'nocap.txt'))).to.equal(false);
      const texts = reply.result.content.map((c: { text: string }) => c.text);
      expect(texts.some((t: string | undefined) => t?.includes('did not declare the elicitation'))).to.equal(true);
    });

    it('a run never resumed is denied after approval_timeout_ms: its turn ends, no process is left, the denial is in the rollout', async () => {
      await start({ top: 'approval_timeout_ms = 300\n' });
      const { args, reply } = await firstLeg('abandoned.txt');
      expect(reply.result.resultType).to.equal('input_required');
      await stderrShows(client, 'abandoned tool call ended');
      expect(await eventually(() => descendants(client.raw.proc.pid!).length === 0)).to.equal(true, 'a process of the run is left');
      expect(existsSync(join(work, 'abandoned.txt'))).to.equal(false);
      const records = rollouts(home.path)
        .join('\n')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const denial = records.find((r) => r.type === 'function_call_output' || r.payload?.type === 'function_call_output' || r.item?.type === 'function_call_output');
      expect(JSON.stringify(denial)).to.contain('exec command rejected by user');
      const late = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { 'approval-call1': { action: 'accept' } },
        requestState: reply.result.requestState,
      });
      expect(late.error.code).to.equal(-32602);
      expect(existsSync(join(work, 'abandoned.txt'))).to.equal(false);
    });

    it('codex-reply continues the session in the modern era, with its own approval round', async () => {
      await start();
      const first = await firstLeg('one.txt');
      const done = await client.request('tools/call', {
        name: 'codex',
        arguments: first.args,
        inputResponses: { 'approval-call1': { action: 'accept', content: { decision: 'approved' } } },
        requestState: first.reply.result.requestState,
      });
      const sessionId = done.result.structuredContent.sessionId as string;
      mock!.enqueue(touch('two.txt', 'call2'), { kind: 'text', text: 'second done' });
      const replyArgs = { sessionId, prompt: 'another file' };
      const leg = await client.request('tools/call', { name: 'codex-reply', arguments: replyArgs });
      expect(leg.result.resultType).to.equal('input_required');
      expect(Object.keys(leg.result.inputRequests)).to.deep.equal(['approval-call2']);
      const end = await client.request('tools/call', {
        name: 'codex-reply',
        arguments: replyArgs,
        inputResponses: { 'approval-call2': { action: 'accept', content: { decision: 'approved' } } },
        requestState: leg.result.requestState,
      });
      expect(end.result.content[0].text).to.equal('second done');
      expect(end.result.structuredContent.sessionId).to.equal(sessionId);
      expect(existsSync(join(work, 'two.txt'))).to.equal(true);
    });

    it('a patch approval lists the files of the patch', async () => {
      await start();
      const patch = '*** Begin Patch\n*** Add File: added.txt\n+hello\n*** End Patch\n';
      mock!.enqueue({ kind: 'tool_call', name: 'shell', callId: 'p1', arguments: { command: ['apply_patch', patch] } }, { kind: 'text', text: 'patched' });
      const args = codexArgs('patch it');
      const reply = await client.request('tools/call', { name: 'codex', arguments: args });
      expect(reply.result, JSON.stringify(reply)).to.have.property('inputRequests');
      const input = reply.result.inputRequests['approval-p1'];
      expect(input.params.message).to.match(/\n {2}add \S*added\.txt/);
      const done = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { 'approval-p1': { action: 'accept', content: { decision: 'approved' } } },
        requestState: reply.result.requestState,
      });
      expect(done.result.content[0].text).to.equal('patched');
      expect(readFileSync(join(work, 'added.txt'), 'utf8')).to.equal('hello\n');
    });
  });

  describe('approvals through a replacement exec approval plugin (public API only)', () => {
    it("the copy of test/fixtures/exec-approval-plugin.js takes the built-in's place and asks through APPROVALS.askInRun", async () => {
      await start({ plugins: ['./plugins/exec-approval-copy.js'], setupHome: installExecApprovalCopy, env: { AGENTWIRE_LOG: 'debug' } });
      mock!.enqueue(touch('via-copy.txt'), { kind: 'text', text: 'done' });
      const args = codexArgs('make a file');
      const reply = await client.request('tools/call', { name: 'codex', arguments: args });
      expect(reply.result.resultType).to.equal('input_required');
      expect(reply.result.inputRequests['approval-call1'].params.message).to.contain('touch via-copy.txt');
      const retry = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { 'approval-call1': { action: 'accept', content: { decision: 'approved' } } },
        requestState: reply.result.requestState,
      });
      expect(retry.result.resultType).to.equal('complete');
      expect(existsSync(join(work, 'via-copy.txt'))).to.equal(true);
      // The built-in was not loaded: the copy replaced it (PluginHost logs the replacement at debug level).
      await stderrShows(client, '"plugin":"test:exec-approval-copy","replaces":"agentwire:exec-approval"');
    });
  });

  describe('what reaches stdout', () => {
    it('progress only for a request with a progressToken, and never codex/event or a server request', async () => {
      await start();
      mock!.enqueue(touch('p.txt'), { kind: 'text', text: 'ok' });
      const args = codexArgs('go');
      const id = client.send('tools/call', { name: 'codex', arguments: args, _meta: { progressToken: 'tok-1' } });
      const leg = await client.raw.waitForResponse(id);
      const progress = client.messages.filter((m) => m.method === 'notifications/progress');
      expect(progress.length).to.be.greaterThan(0);
      expect(progress.every((m) => m.params.progressToken === 'tok-1')).to.equal(true);
      expect(progress.map((m) => m.params.message)).to.include('turn started');
      const retry = await client.request('tools/call', {
        name: 'codex',
        arguments: args,
        inputResponses: { 'approval-call1': { action: 'accept' } },
        requestState: leg.result.requestState,
      });
      expect(retry.result.resultType).to.equal('complete');
      // The retry sent no token: no progress after the first leg's answer.
      expect(client.messages.filter((m) => m.method === 'notifications/progress').length).to.equal(progress.length);
      expect(client.messages.filter((m) => typeof m.method === 'string' && m.method !== 'notifications/progress')).to.deep.equal([]);
    });

    it('notifications/cancelled aborts a running tools/call: no reply, and the server keeps serving', async () => {
      await start();
      mock!.enqueue({ kind: 'stall', after: 'thinking' });
      const id = client.send('tools/call', { name: 'codex', arguments: codexArgs('stall'), _meta: { progressToken: 7 } });
      await client.raw.waitFor((m) => m.method === 'notifications/progress' && m.params.message === 'answer streaming');
      const progressBefore = client.messages.filter((m) => m.method === 'notifications/progress').length;
      client.notify('notifications/cancelled', { requestId: id, reason: 'stop', _meta: envelope() });
      const sentinel = await client.request('server/discover');
      expect(sentinel.result.resultType).to.equal('complete');
      // The turn ended: the provider saw its stream dropped, and the server goes on serving.
      await client.request('tools/list');
      expect(client.messages.some((m) => m.id === id)).to.equal(false);
      expect(client.messages.filter((m) => m.method === 'notifications/progress').length).to.equal(progressBefore);
    });
  });

  describe('subscriptions/listen', () => {
    it('acknowledges toolsListChanged, reports a tool a plugin adds after start-up, and ends on notifications/cancelled', async () => {
      await start({ plugins: [join(ROOT, 'test', 'fixtures', 'late-tool-plugin.js')] });
      const listenId = client.send('subscriptions/listen', { notifications: { toolsListChanged: true, promptsListChanged: true } });
      const ack = await client.raw.waitForNotification('notifications/subscriptions/acknowledged');
      expect(ack.params).to.deep.equal({ _meta: { 'io.modelcontextprotocol/subscriptionId': listenId }, notifications: { toolsListChanged: true } });
      const added = await client.request('tools/call', { name: 'add_late_tool', arguments: {} });
      expect(added.result.content[0].text).to.equal('added late_tool_1');
      const changed = await client.raw.waitForNotification('notifications/tools/list_changed');
      expect(changed.params).to.deep.equal({ _meta: { 'io.modelcontextprotocol/subscriptionId': listenId } });
      const list = await client.request('tools/list');
      expect(list.result.tools.map((t: { name: string }) => t.name)).to.include('late_tool_1');

      client.notify('notifications/cancelled', { requestId: listenId, _meta: envelope() });
      await client.request('server/discover'); // the cancel is handled before this request
      await client.request('tools/call', { name: 'add_late_tool', arguments: {} });
      await client.request('tools/list');
      expect(client.messages.filter((m) => m.method === 'notifications/tools/list_changed')).to.have.length(1);
      expect(client.messages.some((m) => m.id === listenId)).to.equal(false);
    });

    it('the process exits promptly on stdin EOF with a listen stream open', async () => {
      await start();
      client.send('subscriptions/listen', { notifications: { toolsListChanged: true } });
      await client.raw.waitForNotification('notifications/subscriptions/acknowledged');
      client.raw.closeStdin();
      const { code } = await client.raw.exited;
      expect(code).to.equal(0);
    });
  });
});
