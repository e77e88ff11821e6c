import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ErrorReply, SERVER_ENTRY } from '../support/mcp-client';
import { EngineFixture, mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';
import { eventually, pidsWithArgument } from '../exec/helpers';

const touch = (name: string, callId = 'call1') => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['touch', name] } });

describe('the codex and codex-reply tools with the official MCP SDK client', () => {
  let mock: MockProvider;
  let home: TempHome;
  let client: Client;
  let work: string;

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url) });
    work = home.path;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_ENTRY, 'mcp'],
      env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
      stderr: 'pipe',
    });
    client = new Client({ name: 'sdk-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { decision: 'approved' } }));
    await client.connect(transport);
  });

  afterEach(async () => {
    await client.close();
    await mock.close();
    home.remove();
  });

  it('lists codex and codex-reply with 0.29 schemas plus outputSchema', async () => {
    const { tools } = await client.listTools();
    const codex = tools.find((t) => t.name === 'codex')!;
    const reply = tools.find((t) => t.name === 'codex-reply')!;
    expect(codex.inputSchema.required).to.deep.equal(['prompt']);
    expect(Object.keys(codex.inputSchema.properties!)).to.have.members([
      'prompt',
      'model',
      'profile',
      'cwd',
      'approval-policy',
      'sandbox',
      'config',
      'base-instructions',
      'include-plan-tool',
    ]);
    expect((codex.inputSchema.properties as any)['approval-policy'].enum).to.deep.equal(['untrusted', 'on-failure', 'on-request', 'never']);
    expect((codex.inputSchema.properties as any).sandbox.enum).to.deep.equal(['read-only', 'workspace-write', 'danger-full-access']);
    expect(Object.keys(reply.inputSchema.properties!)).to.have.members(['prompt', 'sessionId', 'conversationId']);
    expect(codex.outputSchema).to.have.nested.property('properties.sessionId');
  });

  it('approves a shell command through elicitation: it runs, and the answer and sessionId come back', async () => {
    mock.enqueue(touch('sdk.txt'), { kind: 'text', text: 'made it' });
    const result = await client.callTool({ name: 'codex', arguments: { prompt: 'make a file', cwd: work, 'approval-policy': 'untrusted', sandbox: 'danger-full-access' } });
    expect(existsSync(join(work, 'sdk.txt'))).to.equal(true);
    expect(result.content).to.deep.equal([
      { type: 'text', text: 'made it' },
      {
        type: 'resource_link',
        uri: `agentwire://conversations/${(result.structuredContent as { sessionId: string }).sessionId}`,
        name: (result.structuredContent as { sessionId: string }).sessionId,
        title: 'Codex conversation',
        mimeType: 'application/json',
      },
    ]);
    const structured = result.structuredContent as { sessionId: string; conversationId: string; lastAgentMessage: string };
    expect(structured.sessionId).to.match(/^[0-9a-f-]{36}$/);
    expect(structured).to.deep.include({ conversationId: structured.sessionId, lastAgentMessage: 'made it' });

    mock.enqueue({ kind: 'text', text: 'second answer' });
    const reply = await client.callTool({ name: 'codex-reply', arguments: { sessionId: structured.sessionId, prompt: 'and then?' } });
    expect((reply.content as unknown[])[0]).to.deep.equal({ type: 'text', text: 'second answer' });
    expect((reply.content as Array<{ type: string }>)[1].type).to.equal('resource_link');
    const last = mock.requests[mock.requests.length - 1];
    const text = JSON.stringify(last.body);
    expect(text).to.contain('make a file').and.to.contain('made it').and.to.contain('and then?');
  });

  it('sends notifications/progress when the call carries a progressToken', async () => {
    mock.enqueue({ kind: 'text', text: 'with progress' });
    const seen: string[] = [];
    await client.callTool({ name: 'codex', arguments: { prompt: 'hi', cwd: work } }, undefined, {
      onprogress: (p) => void seen.push(String(p.message)),
    });
    // The SDK runs progress handlers a microtask late and drops those that arrive in the same
    // read as the result, so only the early ones are certain here; the raw test checks them all.
    expect(seen).to.include('turn started');
  });

  it('answers isError when the provider fails', async () => {
    mock.enqueue({ kind: 'http_error', status: 500 });
    const result = await client.callTool({ name: 'codex', arguments: { prompt: 'x', cwd: work } });
    expect(result.isError).to.equal(true);
    expect((result.content as Array<{ text: string }>)[0].text).to.equal('exceeded retry limit, last status: 500 Internal Server Error');
  });

  it('refuses bad arguments and unknown tools with -32602', async () => {
    for (const args of [{}, { prompt: 'x', 'approval-policy': 'bogus' }, { prompt: 5 }]) {
      try {
        await client.callTool({ name: 'codex', arguments: args });
        expect.fail('should throw');
      } catch (err) {
        expect((err as { code?: number }).code, JSON.stringify(args)).to.equal(-32602);
      }
    }
  });

  it('codex-reply: unknown session is an isError result; no id or two different ids are -32602', async () => {
    const unknown = await client.callTool({ name: 'codex-reply', arguments: { sessionId: 'not-a-session', prompt: 'x' } });
    expect(unknown.isError).to.equal(true);
    expect((unknown.content as Array<{ text: string }>)[0].text).to.equal('Session not found for session_id: not-a-session');
    for (const args of [{ prompt: 'x' }, { prompt: 'x', sessionId: 'a', conversationId: 'b' }]) {
      try {
        await client.callTool({ name: 'codex-reply', arguments: args });
        expect.fail('should throw');
      } catch (err) {
        expect((err as { code?: number }).code).to.equal(-32602);
      }
    }
  });
});

describe('the codex tool for a client that speaks like the 0.29 transcripts (raw JSON-RPC)', () => {
  let f: EngineFixture;
  afterEach(async () => f.close());

  it('streams codex/event with _meta.requestId, session_configured first, and answers {decision} elicitations', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue(touch('raw.txt'), { kind: 'text', text: 'the answer is 42' });
    const elicitations: any[] = [];
    f.client.onRequest('elicitation/create', (params) => (elicitations.push(params), { decision: 'approved' }));
    const reply = await f.client.request('tools/call', { name: 'codex', arguments: { prompt: 'compute', cwd: f.work, 'approval-policy': 'untrusted' } }, 2);
    expect(reply.result.content).to.deep.equal([
      { type: 'text', text: 'the answer is 42' },
      {
        type: 'resource_link',
        uri: `agentwire://conversations/${reply.result.structuredContent.sessionId}`,
        name: reply.result.structuredContent.sessionId,
        title: 'Codex conversation',
        mimeType: 'application/json',
      },
    ]);
    const events = f.client.messages.filter((m) => m.method === 'codex/event');
    expect(events[0].params).to.deep.include({ _meta: { requestId: 2, seq: 1 }, id: '' });
    // The session's events are numbered from 1, one more each (docs/PROTOCOL.md, "Event replay").
    expect(events.map((e) => e.params._meta.seq)).to.deep.equal(events.map((_, i) => i + 1));
    expect(events[0].params.msg.type).to.equal('session_configured');
    expect(events[1].params).to.deep.include({ id: '2' });
    expect(elicitations).to.have.length(1);
    expect(elicitations[0]).to.deep.include({
      message: `Allow Codex to run \`touch raw.txt\` in \`${f.work}\`?`,
      codex_elicitation: 'exec-approval',
      codex_mcp_tool_call_id: '2',
      codex_event_id: '2',
      codex_call_id: 'call1',
      codex_command: ['touch', 'raw.txt'],
      codex_cwd: f.work,
    });
    expect(elicitations[0].requestedSchema.properties.decision.enum).to.include('approved_for_session');
    expect(existsSync(join(f.work, 'raw.txt'))).to.equal(true);

    // codex-reply: the first reply's events take the next submission id ("1": the approval took "0").
    f.mock.enqueue({ kind: 'text', text: 'still 42' });
    const session = reply.result.structuredContent.sessionId;
    const second = await f.client.request('tools/call', { name: 'codex-reply', arguments: { sessionId: session, prompt: 'again?' } }, 3);
    expect(second.result.content[0].text).to.equal('still 42');
    const replyEvents = f.client.messages.filter((m) => m.method === 'codex/event' && m.params._meta.requestId === 3);
    expect(replyEvents[0].params.id).to.equal('1');
    expect(replyEvents[0].params._meta.seq).to.equal(events.length + 1);
    expect(replyEvents.some((e) => e.params.msg.type === 'session_configured')).to.equal(false);
  });

  it('sends a progress notification per step when the call has a progressToken', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'p', arguments: { command: ['echo', 'hi'] } }, { kind: 'text', text: 'with progress' });
    await f.client.request('tools/call', { name: 'codex', arguments: { prompt: 'x', cwd: f.work }, _meta: { progressToken: 'tok' } });
    const progress = f.client.messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params);
    expect(progress.map((p) => p.message)).to.deep.equal([
      'turn started',
      'running echo hi',
      'command finished with exit code 0',
      'answer streaming',
      'answer complete',
      'turn complete',
    ]);
    expect(progress.map((p) => p.progress)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => p.progressToken === 'tok')).to.equal(true);
  });

  it('an error reply to elicitation/create counts as denied and the call is answered', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue(touch('no.txt'), { kind: 'text', text: 'not run' });
    f.client.onRequest('elicitation/create', () => new ErrorReply(-32000, 'nope'));
    const reply = await f.client.request('tools/call', { name: 'codex', arguments: { prompt: 'x', cwd: f.work } });
    expect(reply.result.content[0].text).to.equal('not run');
    expect(existsSync(join(f.work, 'no.txt'))).to.equal(false);
  });

  it('a client without the elicitation capability gets no elicitation; the command is denied', async () => {
    f = await EngineFixture.start();
    await f.client.close();
    const { McpTestClient } = await import('../support/mcp-client');
    const bare = McpTestClient.spawn({ home: f.home.path });
    (f as unknown as { client: unknown }).client = bare;
    await bare.initialize({});
    f.mock.enqueue(touch('bare.txt'), { kind: 'text', text: 'denied by default' });
    const reply = await bare.request('tools/call', { name: 'codex', arguments: { prompt: 'x', cwd: f.work } });
    expect(reply.result.content[0].text).to.equal('denied by default');
    expect(bare.messages.some((m) => m.method === 'elicitation/create')).to.equal(false);
    const background = bare.messages.filter((m) => m.method === 'codex/event' && m.params.msg.type === 'background_event');
    expect(background.map((m) => m.params.msg.message).join(' ')).to.contain('elicitation');
  });

  it('abort answers the call with isError "turn aborted: interrupted"', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue(touch('abort.txt'));
    f.client.onRequest('elicitation/create', () => ({ decision: 'abort' }));
    const reply = await f.client.request('tools/call', { name: 'codex', arguments: { prompt: 'x', cwd: f.work } });
    expect(reply.result.isError).to.equal(true);
    expect(reply.result.content[0]).to.deep.equal({ type: 'text', text: 'turn aborted: interrupted' });
    expect(reply.result.content[1].type).to.equal('resource_link');
  });

  it('notifications/cancelled interrupts the turn, kills its process and sends no result', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    // Found by a sleep time of its own: a pid printed inside a pid namespace means nothing here.
    const t = `30.${process.pid}3`;
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 's', arguments: { command: ['bash', '-c', `echo ready; exec sleep ${t}`], timeout_ms: 60000 } });
    f.client.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'codex', arguments: { prompt: 'sleep', cwd: f.work } } });
    await f.client.waitFor((m) => m.method === 'codex/event' && m.params.msg.type === 'exec_command_output_delta');
    expect(await eventually(() => pidsWithArgument(t).length === 1)).to.equal(true);
    f.client.notify('notifications/cancelled', { requestId: 9, reason: 'user cancelled' });
    const aborted = await f.client.waitFor((m) => m.method === 'codex/event' && m.params.msg.type === 'turn_aborted');
    expect(aborted.params.msg.reason).to.equal('interrupted');
    const after = await f.client.messagesUntilPing(f.client.messages.indexOf(aborted));
    expect(after.filter((m) => m.id === 9)).to.deep.equal([]);
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `still alive: ${pidsWithArgument(t)}`);
  });

  it('interruptConversation on a codex call answers the call with isError', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue({ kind: 'slow', text: 'a b c d e f g h i j k l m n o', delayMs: 200 });
    f.client.send({ jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'codex', arguments: { prompt: 'slow', cwd: f.work } } });
    const configured = await f.client.waitFor((m) => m.method === 'codex/event' && m.params.msg.type === 'session_configured');
    await f.client.waitFor((m) => m.method === 'codex/event' && m.params.msg.type === 'agent_message_delta');
    const interrupted = await f.client.request('interruptConversation', { conversationId: configured.params.msg.session_id });
    expect(interrupted.result).to.deep.equal({ abortReason: 'interrupted' });
    const reply = await f.client.waitForResponse(11);
    expect(reply.result.isError).to.equal(true);
    expect(reply.result.content[0]).to.deep.equal({ type: 'text', text: 'turn aborted: interrupted' });
    expect(reply.result.content[1].type).to.equal('resource_link');
  });

  it('a codex session id works with the conversation methods', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue({ kind: 'text', text: 'tool turn' }, { kind: 'text', text: 'listener turn' });
    const reply = await f.client.request('tools/call', { name: 'codex', arguments: { prompt: 'x', cwd: f.work } });
    const id = reply.result.structuredContent.sessionId;
    await f.client.request('addConversationListener', { conversationId: id });
    await f.send(id, 'now through sendUserMessage');
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('listener turn');
  });
});
