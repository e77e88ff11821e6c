import { expect } from 'chai';
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { ModelGateway } from '../../src/conversations/model-gateway';
import type { ModelEvent, ModelRequest } from '../../src/model/model-events';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { PluginHost } from '../../src/plugins/plugin-host';
import { ProcessGroups } from '../../src/process/process-groups';
import { JsonRpcRouter } from '../../src/router/json-rpc-router';
import { openFiles } from '../exec/helpers';
import { MemoryTransport } from '../support/memory-transport';
import { createTestContainer } from '../support/test-container';

/** A model answer: the batches one stream yields. */
type Answer = ModelEvent[][];

async function* batches(answer: Answer): AsyncGenerator<ModelEvent[]> {
  for (const batch of answer) yield batch;
}

/**
 * The whole server in this process: the built-in plugins, the router on the in-memory transport,
 * a sinon-stubbed ModelGateway in place of the provider. A turn then runs the real Turn,
 * Conversation, ConversationManager and shell tool, with no server spawned.
 */
describe('engine: a conversation turn in one process (in-memory transport, stubbed model)', () => {
  let home: string;
  let work: string;
  let root: DependencyContainer;
  let transport: MemoryTransport;
  let stream: sinon.SinonStub<[ModelRequest, ...unknown[]], AsyncIterable<ModelEvent[]>>;
  let nextId = 1;

  const request = async (method: string, params?: unknown): Promise<any> => {
    const id = nextId++;
    transport.deliver({ jsonrpc: '2.0', id, method, params });
    const reply = await transport.reply(id);
    if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };
  /** From now on, each message sent (`eventType` when it carries that event, else `message`) and each flush, in order. */
  const recordSendsAndFlushes = (eventType: string): string[] => {
    const order: string[] = [];
    const send = transport.send.bind(transport);
    sinon.stub(transport, 'send').callsFake((line: string) => {
      order.push(line.includes(`"${eventType}"`) ? eventType : 'message');
      send(line);
    });
    sinon.stub(transport, 'flush').callsFake(() => order.push('flush'));
    return order;
  };
  const events = (conversationId: string, type?: string): any[] =>
    transport.sent
      .filter((m) => m.method?.startsWith('codex/event/') && m.params.conversationId === conversationId && (!type || m.params.msg.type === type))
      .map((m) => m.params.msg);

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'agentwire-engine-home-'));
    work = mkdtempSync(join(tmpdir(), 'agentwire-engine-work-'));
    const gateway = sinon.createStubInstance(ModelGateway);
    stream = gateway.stream as unknown as typeof stream;
    root = createTestContainer({ home, overrides: (c) => c.registerInstance(ModelGateway, gateway) });
    await root.resolve(PluginHost).registerAll([...BUILTIN_PLUGINS]);
    transport = new MemoryTransport();
    root.resolve(JsonRpcRouter).connect(transport, () => undefined);
    await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'engine-test', version: '0' } });
    transport.deliver({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });

  afterEach(async () => {
    sinon.restore();
    await root.resolve(PluginHost).close();
    root.resolve(JsonRpcRouter).close('test over');
    root.resolve(ProcessGroups).killAll();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('streams the answer, runs the shell call the model makes, and sends its output back to the model', async () => {
    const call = {
      type: 'function_call',
      id: null,
      name: 'shell',
      call_id: 'call-1',
      arguments: JSON.stringify({ command: ['node', '-e', 'process.stdout.write("hi from the tool")'] }),
    };
    stream.onFirstCall().returns(batches([[{ type: 'item', item: call as never }], [{ type: 'completed' }]]));
    stream.onSecondCall().returns(
      batches([
        [
          { type: 'text_delta', delta: 'do' },
          { type: 'text_delta', delta: 'ne' },
        ],
        [
          { type: 'item', item: { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text: 'done' }] } as never },
          { type: 'completed', usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 } as never },
        ],
      ]),
    );

    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'danger-full-access' });
    await request('addConversationListener', { conversationId });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'say hi' } }] });
    const complete = await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId);

    expect(complete.params.msg.last_agent_message).to.equal('done');
    const end = events(conversationId, 'exec_command_end')[0];
    expect(end).to.include({ call_id: 'call-1', stdout: 'hi from the tool', exit_code: 0 });
    expect(events(conversationId, 'exec_command_begin')[0].command).to.deep.equal(['node', '-e', 'process.stdout.write("hi from the tool")']);
    expect(
      events(conversationId, 'agent_message_delta')
        .map((e) => e.delta)
        .join(''),
    ).to.equal('done');
    expect(events(conversationId, 'agent_message')[0].message).to.equal('done');
    expect(events(conversationId).map((e) => e.type)).to.include.members(['task_started', 'exec_command_begin', 'exec_command_end', 'token_count', 'task_complete']);

    expect(stream.callCount).to.equal(2);
    const first = stream.firstCall.args[0];
    expect(first.tools.map((t: { name: string }) => t.name)).to.include('shell');
    const output: any = stream.secondCall.args[0].input.find((i) => i.type === 'function_call_output');
    expect(output.call_id).to.equal('call-1');
    expect(JSON.parse(output.output).output).to.contain('hi from the tool');
  });

  it("a turn's records are on disk when task_complete goes out, written with its own record in one append", async () => {
    stream
      .onFirstCall()
      .returns(
        batches([
          [{ type: 'text_delta', delta: 'on disk' }],
          [{ type: 'item', item: { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text: 'on disk' }] } as never }, { type: 'completed' }],
        ]),
      );
    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    await request('addConversationListener', { conversationId });
    const appends: string[] = [];
    // The rollout's appends are synchronous writes to its file (RolloutRecorder).
    const write = sinon.stub(fs, 'writeSync').callsFake(function (this: unknown, ...args: unknown[]) {
      if (Buffer.isBuffer(args[1])) appends.push(args[1].toString('utf8'));
      return (write.wrappedMethod as (...a: unknown[]) => number).apply(this, args);
    });
    // What the rollout holds at the moment the client is sent task_complete.
    let onDisk = '';
    const send = transport.send.bind(transport);
    sinon.stub(transport, 'send').callsFake((line: string) => {
      if (line.includes('"task_complete"')) {
        const day = (dir: string): string => join(dir, readdirSync(dir)[0]);
        const folder = day(day(day(join(home, 'sessions'))));
        onDisk = readFileSync(join(folder, readdirSync(folder)[0]), 'utf8');
      }
      send(line);
    });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'write it down' } }] });
    await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId);
    const records = onDisk
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.some((r) => r.type === 'message' && r.role === 'assistant' && r.content[0].text === 'on disk')).to.equal(true);
    expect(records.at(-1)).to.deep.include({ record_type: 'agentwire_event' });
    expect(records.at(-1).msg).to.deep.equal({ type: 'task_complete', last_agent_message: 'on disk' });
    // The answer and task_complete's record went out in the same append, not one each.
    const last = appends.filter((text) => text.includes('"agentwire_event"')).at(-1)!;
    expect(last).to.contain('"role":"assistant"').and.to.contain('"task_complete"');
  });

  it('a turn end goes to the client at once, not after the rest of the step', async () => {
    stream.onFirstCall().returns(batches([[{ type: 'text_delta', delta: 'done' }], [{ type: 'completed' }]]));
    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    await request('addConversationListener', { conversationId });
    const order = recordSendsAndFlushes('task_complete');
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'hi' } }] });
    await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId);
    expect(order).to.include('task_complete');
    expect(order[order.indexOf('task_complete') + 1]).to.equal('flush');
  });

  it("a command's end goes to the client at once, before the step builds the next model request", async () => {
    const call = { type: 'function_call', id: null, name: 'shell', call_id: 'call-1', arguments: JSON.stringify({ command: ['node', '-e', ''] }) };
    const order = recordSendsAndFlushes('exec_command_end');
    stream.onFirstCall().returns(batches([[{ type: 'item', item: call as never }], [{ type: 'completed' }]]));
    stream.onSecondCall().callsFake(() => {
      order.push('model request');
      return batches([[{ type: 'text_delta', delta: 'done' }], [{ type: 'completed' }]]);
    });
    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'danger-full-access' });
    await request('addConversationListener', { conversationId });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'hi' } }] });
    await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId);
    const end = order.indexOf('exec_command_end');
    expect(end).to.be.greaterThan(-1);
    expect(order.slice(end + 1, end + 3)).to.deep.equal(['flush', 'model request']);
  });

  it('holds no rollout file open between turns, a fork of the conversation included', async () => {
    stream.returns(batches([[{ type: 'text_delta', delta: 'ok' }], [{ type: 'completed' }]]));
    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    await request('addConversationListener', { conversationId });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'hi' } }] });
    await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId);
    // The turn is over once its promise has settled, a step after task_complete: then the fork copies it.
    await new Promise((resolve) => setImmediate(resolve));
    const fork = await request('forkConversation', { conversationId });
    await new Promise((resolve) => setImmediate(resolve));
    const sessions = join(home, 'sessions');
    // The fork's file has the copied turn (so its markers were written) ...
    const forkFile = readdirSync(sessions, { recursive: true }).find((name) => String(name).endsWith(`-${fork.conversationId}.jsonl`));
    expect(readFileSync(join(sessions, String(forkFile)), 'utf8')).to.contain('"copied_from"');
    // ... and no rollout is held open, the source's or the fork's.
    expect(openFiles('self', (target) => target.startsWith(sessions))).to.deep.equal([]);
  });

  it('a model stream that fails ends the turn with an error event, and the conversation takes the next turn', async () => {
    stream.onFirstCall().returns(
      (async function* () {
        yield [{ type: 'text_delta', delta: 'partial' }] as ModelEvent[];
        throw new Error('provider went away');
      })(),
    );
    stream
      .onSecondCall()
      .returns(
        batches([[{ type: 'item', item: { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text: 'back' }] } as never }, { type: 'completed' }]]),
      );

    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    await request('addConversationListener', { conversationId });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'one' } }] });
    const error = await transport.next((m) => m.method === 'codex/event/error' && m.params.conversationId === conversationId);
    expect(error.params.msg.message).to.contain('provider went away');

    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'two' } }] });
    await transport.next((m) => m.method === 'codex/event/task_complete' && m.params.msg.last_agent_message === 'back');
    expect(stream.callCount).to.equal(2);
    expect(stream.secondCall.args[0].input.some((i) => i.type === 'message' && JSON.stringify(i).includes('two'))).to.equal(true);
  });

  it('interruptConversation aborts a turn waiting on the model: turn_aborted, then the reply', async () => {
    let started!: () => void;
    const waiting = new Promise<void>((r) => (started = r));
    stream.callsFake((_req: ModelRequest, _provider: unknown, signal: unknown) =>
      (async function* () {
        started();
        await new Promise((_, reject) => (signal as AbortSignal).addEventListener('abort', () => reject((signal as AbortSignal).reason)));
        yield [] as ModelEvent[];
      })(),
    );
    const { conversationId } = await request('newConversation', { cwd: work, approvalPolicy: 'never', sandbox: 'read-only' });
    await request('addConversationListener', { conversationId });
    await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'wait' } }] });
    await waiting;
    expect(await request('interruptConversation', { conversationId })).to.deep.equal({ abortReason: 'interrupted' });
    expect(events(conversationId, 'turn_aborted')[0]).to.deep.equal({ type: 'turn_aborted', reason: 'interrupted' });
  });
});
