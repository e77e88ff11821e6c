import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
// The v2 client ships a CommonJS build beside its ESM one (its package.json `exports` has a
// `require` condition), so the compiled CommonJS tests load it with a plain import: no dynamic
// `import()` trick is needed.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { SERVER_ENTRY } from '../support/mcp-client';
import { readTapLog, tapped, tapSchemaProblems } from '../support/tap-log';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const MODERN = '2026-07-28';
const touch = (name: string, callId: string) => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['touch', name] } });

interface ElicitParams {
  mode?: string;
  message: string;
  requestedSchema: { type: string; properties: Record<string, { type: string; oneOf?: Array<{ const: string; title: string }> }> };
}

/**
 * MCP 2026-07-28 (MCP-2026.md §9) with the real TypeScript v2 client, pinned to the modern era:
 * it probes `server/discover` in a throw-away sibling process, then runs the session in a second
 * one, adds the `_meta` envelope to every request, and fulfils `input_required` approvals through
 * its `elicitation/create` handler (multi round-trip requests, §5).
 */
describe('MCP 2026-07-28 with the TypeScript client @modelcontextprotocol/client (pinned)', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let client: Client;
  let transport: StdioClientTransport;
  let elicitations: ElicitParams[];
  let clientWarnings: string[];
  let clientErrors: string[];
  let strayNotifications: string[];
  let warn: sinon.SinonStub;
  let tapLog: string;
  const onProcessWarning = (w: Error) => void clientWarnings.push(`process warning: ${w.name}: ${w.message}`);

  /** Approves commands that touch a file named approved*, cancels those of cancelled*, declines the rest. */
  async function decide(params: ElicitParams) {
    elicitations.push(params);
    if (/approved/.test(params.message)) return { action: 'accept' as const, content: { decision: 'approved' } };
    return /cancelled/.test(params.message) ? { action: 'cancel' as const } : { action: 'decline' as const };
  }

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'untrusted', sandboxMode: 'danger-full-access' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
    elicitations = [];
    clientWarnings = [];
    clientErrors = [];
    strayNotifications = [];
    // The client reports through console.warn ("[mcp-sdk] ...") and onerror; both must stay silent.
    warn = sinon.stub(console, 'warn').callsFake((...args: unknown[]) => void clientWarnings.push(args.map(String).join(' ')));
    process.on('warning', onProcessWarning);
    client = new Client({ name: 'agentwire-ts-v2-test', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: MODERN } } });
    client.onerror = (err) => void clientErrors.push(String(err));
    // In this era the server may send only what a request asked for (MCP-2026.md §7): no
    // notification should reach the client without a handler of its own.
    client.fallbackNotificationHandler = async (n) => void strayNotifications.push(JSON.stringify(n).slice(0, 300));
    client.setRequestHandler('elicitation/create', async (request) => decide(request.params as unknown as ElicitParams));
    // The server runs behind the stdio tap, so every line it writes (the probe process's too) is
    // checked against the official schema after the test.
    tapLog = `${work}.tap.log`;
    transport = new StdioClientTransport({
      ...tapped(tapLog, process.execPath, [SERVER_ENTRY, 'mcp']),
      env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
      stderr: 'pipe',
    });
    await client.connect(transport);
  });

  afterEach(async () => {
    await client.close();
    warn.restore();
    process.off('warning', onProcessWarning);
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
    const log = readTapLog(tapLog);
    rmSync(tapLog, { force: true });
    expect(log.received.length, 'messages in the tap log').to.be.greaterThan(0);
    expect(tapSchemaProblems(log), 'server messages under the 2026-07-28 schema').to.deep.equal([]);
    expect(clientWarnings, 'client warnings').to.deep.equal([]);
    expect(clientErrors, 'client errors').to.deep.equal([]);
    expect(strayNotifications, 'notifications nobody asked for').to.deep.equal([]);
  });

  const codexArgs = (prompt: string) => ({ prompt, cwd: work, 'approval-policy': 'untrusted', sandbox: 'danger-full-access' });
  const text = (result: { content?: unknown }) => (result.content as Array<{ type: string; text: string }>)[0].text;

  it('probes server/discover, settles on 2026-07-28 and lists codex and codex-reply', async () => {
    expect(client.getNegotiatedProtocolVersion()).to.equal(MODERN);
    const discovered = client.getDiscoverResult()!;
    expect(discovered.supportedVersions).to.include(MODERN);
    expect(discovered.capabilities.tools).to.be.an('object');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).to.include.members(['codex', 'codex-reply']);
    expect(tools.find((t) => t.name === 'codex')!.outputSchema).to.have.nested.property('properties.sessionId');
  });

  it('approves a shell command through the elicitation handler (it ran), then codex-reply continues', async () => {
    mock.enqueue(touch('approved.txt', 'call1'), { kind: 'text', text: 'made it' });
    // No onprogress here: this client runs notification handlers a microtask late but drops a
    // request's progress handler as soon as its response is read, so progress that shares a read
    // with the response reaches onerror as "unknown token" although the server sent it first.
    const result = await client.callTool({ name: 'codex', arguments: codexArgs('make a file') });
    expect(existsSync(join(work, 'approved.txt')), 'approved.txt on disk').to.equal(true);
    expect(result.isError ?? false).to.equal(false);
    expect(text(result)).to.equal('made it');
    expect(elicitations).to.have.length(1);
    const [asked] = elicitations;
    expect(asked.mode ?? 'form').to.equal('form');
    expect(asked.message).to.contain('touch approved.txt').and.to.contain(work);
    expect(asked.requestedSchema.type).to.equal('object');
    expect(asked.requestedSchema.properties.decision.oneOf!.map((o) => o.const)).to.include.members(['approved', 'approved_for_session', 'denied', 'abort']);

    const structured = result.structuredContent as { sessionId: string; lastAgentMessage: string };
    expect(structured.sessionId).to.match(/^[0-9a-f-]{36}$/);
    expect(structured.lastAgentMessage).to.equal('made it');

    mock.enqueue({ kind: 'text', text: 'second answer' });
    const reply = await client.callTool({ name: 'codex-reply', arguments: { sessionId: structured.sessionId, prompt: 'and then?' } });
    expect(reply.isError ?? false).to.equal(false);
    expect(text(reply)).to.equal('second answer');
    const history = JSON.stringify(mock.requests[mock.requests.length - 1].body);
    expect(history).to.contain('make a file').and.to.contain('made it').and.to.contain('and then?');
    expect(elicitations).to.have.length(1);
  });

  it('declines a shell command through the elicitation handler: it never ran, and the turn goes on', async () => {
    mock.enqueue(touch('declined.txt', 'call1'), { kind: 'text', text: 'did not run it' });
    const result = await client.callTool({ name: 'codex', arguments: codexArgs('make a file') });
    expect(elicitations).to.have.length(1);
    expect(elicitations[0].message).to.contain('touch declined.txt');
    expect(existsSync(join(work, 'declined.txt')), 'declined.txt on disk').to.equal(false);
    expect(text(result)).to.equal('did not run it');
    const [, second] = await mock.waitForRequests(2);
    const tool = second.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).to.equal('exec command rejected by user');
  });

  it('cancelling the elicitation aborts the turn: the command never ran and the model is not asked again', async () => {
    mock.enqueue(touch('cancelled.txt', 'call1'));
    const result = await client.callTool({ name: 'codex', arguments: codexArgs('make a file') });
    expect(elicitations).to.have.length(1);
    expect(existsSync(join(work, 'cancelled.txt')), 'cancelled.txt on disk').to.equal(false);
    expect(result.isError).to.equal(true);
    expect(text(result)).to.equal('turn aborted: interrupted');
    expect(mock.requests).to.have.length(1);
  });

  it('approves a patch through the elicitation handler: the message lists the file, and the file is written', async () => {
    const patch = '*** Begin Patch\n*** Add File: approved-patch.txt\n+hi\n*** End Patch';
    mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'p1', arguments: { command: ['apply_patch', patch] } }, { kind: 'text', text: 'patched' });
    const result = await client.callTool({ name: 'codex', arguments: codexArgs('add a file') });
    expect(elicitations).to.have.length(1);
    expect(elicitations[0].message).to.contain(join(work, 'approved-patch.txt'));
    expect(readFileSync(join(work, 'approved-patch.txt'), 'utf8')).to.equal('hi\n');
    expect(text(result)).to.equal('patched');
  });

  it('approved for the session: the same command runs again without a second question', async () => {
    mock.enqueue(touch('approved-twice.txt', 'call1'), touch('approved-twice.txt', 'call2'), { kind: 'text', text: 'twice' });
    let sessionWide = 0;
    client.setRequestHandler('elicitation/create', async (request) => {
      elicitations.push(request.params as unknown as ElicitParams);
      sessionWide++;
      return { action: 'accept', content: { decision: 'approved_for_session' } };
    });
    const result = await client.callTool({ name: 'codex', arguments: codexArgs('touch it twice') });
    expect(text(result)).to.equal('twice');
    expect(sessionWide).to.equal(1);
    expect(existsSync(join(work, 'approved-twice.txt'))).to.equal(true);
  });

  it('a client without the elicitation capability is never asked: the command is denied and the result says why', async () => {
    const plain = new Client({ name: 'agentwire-ts-v2-plain', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: { pin: MODERN } } });
    plain.onerror = (err) => void clientErrors.push(String(err));
    plain.fallbackNotificationHandler = async (n) => void strayNotifications.push(JSON.stringify(n).slice(0, 300));
    await plain.connect(
      new StdioClientTransport({
        ...tapped(tapLog, process.execPath, [SERVER_ENTRY, 'mcp']),
        env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
        stderr: 'pipe',
      }),
    );
    try {
      mock.enqueue(touch('never-asked.txt', 'call1'), { kind: 'text', text: 'could not' });
      const result = await plain.callTool({ name: 'codex', arguments: codexArgs('make a file') });
      expect(existsSync(join(work, 'never-asked.txt'))).to.equal(false);
      expect(text(result)).to.equal('could not');
      const texts = (result.content as Array<{ text: string }>).map((c) => c.text);
      expect(
        texts.some((t) => /denied/.test(t) && /elicitation/.test(t)),
        JSON.stringify(texts),
      ).to.equal(true);
    } finally {
      await plain.close();
    }
  });

  it('with listChanged handlers it opens subscriptions/listen and hears of a tool a plugin adds after start-up', async () => {
    const plugin = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'late-tool-plugin.js');
    const pluginHome = new TempHome({ config: mockConfig(mock.url, { top: `plugins = [${JSON.stringify(plugin)}]` }) });
    let heard!: (names: string[]) => void;
    const changed = new Promise<string[]>((resolve) => (heard = resolve));
    const watcher = new Client(
      { name: 'agentwire-ts-v2-watcher', version: '1.0.0' },
      {
        capabilities: {},
        versionNegotiation: { mode: { pin: MODERN } },
        listChanged: { tools: { debounceMs: 0, onChanged: (error, tools) => (error ? clientErrors.push(String(error)) : heard((tools ?? []).map((t) => t.name))) } },
      },
    );
    watcher.onerror = (err) => void clientErrors.push(String(err));
    watcher.fallbackNotificationHandler = async (n) => void strayNotifications.push(JSON.stringify(n).slice(0, 300));
    await watcher.connect(
      new StdioClientTransport({
        ...tapped(tapLog, process.execPath, [SERVER_ENTRY, 'mcp']),
        env: { ...(process.env as Record<string, string>), CODEX_HOME: pluginHome.path },
        stderr: 'pipe',
      }),
    );
    try {
      expect(watcher.getDiscoverResult()!.capabilities.tools).to.deep.equal({ listChanged: true });
      expect((await watcher.listTools()).tools.map((t) => t.name)).to.not.include('late_tool_1');
      await watcher.callTool({ name: 'add_late_tool', arguments: {} });
      expect(await changed).to.include('late_tool_1');
      const log = readTapLog(tapLog);
      const listen = log.sent.find((m) => m.method === 'subscriptions/listen')!;
      expect(listen.params.notifications).to.include({ toolsListChanged: true });
      const onStream = log.received.filter((m) => m.params?._meta?.['io.modelcontextprotocol/subscriptionId'] === listen.id).map((m) => m.method);
      expect(onStream).to.deep.equal(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    } finally {
      await watcher.close();
      pluginHome.remove();
    }
  });

  it("also settles on 2026-07-28 with versionNegotiation mode 'auto' (probe, then the modern session)", async () => {
    const auto = new Client({ name: 'agentwire-ts-v2-auto', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'auto' } });
    auto.onerror = (err) => void clientErrors.push(String(err));
    auto.fallbackNotificationHandler = async (n) => void strayNotifications.push(JSON.stringify(n).slice(0, 300));
    await auto.connect(
      new StdioClientTransport({
        ...tapped(tapLog, process.execPath, [SERVER_ENTRY, 'mcp']),
        env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
        stderr: 'pipe',
      }),
    );
    try {
      expect(auto.getNegotiatedProtocolVersion()).to.equal(MODERN);
      const { tools } = await auto.listTools();
      expect(tools.map((t) => t.name)).to.include.members(['codex', 'codex-reply']);
    } finally {
      await auto.close();
    }
  });
});
