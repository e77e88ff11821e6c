import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { mockConfig } from '../support/engine-home';
import { McpTestClient, SERVER_ENTRY } from '../support/mcp-client';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const RELATED_TASK = 'io.modelcontextprotocol/related-task';

describe('2025-11-25 experimental tasks with the TypeScript SDK 1.x client (callToolStream)', function () {
  this.timeout(30_000);
  let home: TempHome;
  let mock: MockProvider;
  let work: string;
  let client: Client;
  let transport: StdioClientTransport;

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-sdk-tasks-'));
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_ENTRY, 'mcp'],
      env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
      stderr: 'pipe',
    });
    client = new Client({ name: 'agentwire-sdk-tasks', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    await client.connect(transport);
  });

  afterEach(async () => {
    mock.release();
    await client.close();
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const codexArgs = (prompt: string) => ({ prompt, cwd: work, 'approval-policy': 'untrusted', sandbox: 'danger-full-access' });

  it('declares tasks and execution.taskSupport "optional" on codex and codex-reply', async () => {
    expect(client.getServerCapabilities()?.tasks).to.deep.equal({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('codex')?.execution).to.deep.equal({ taskSupport: 'optional' });
    expect(byName.get('codex-reply')?.execution).to.deep.equal({ taskSupport: 'optional' });
  });

  it('runs codex as a task: working, input_required while elicitation/create asks the approval, the command runs, the result arrives', async () => {
    await client.listTools(); // the SDK learns which tools take tasks from tools/list
    mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'call1', arguments: { command: ['touch', 'sdk.txt'] }, delayMs: 90_000 }, { kind: 'text', text: 'made it' });
    const statusesDuringApproval: string[] = [];
    let elicitation: ElicitRequest['params'] | undefined;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      elicitation = request.params;
      const taskId = (request.params._meta as Record<string, { taskId: string }>)[RELATED_TASK].taskId;
      statusesDuringApproval.push((await client.experimental.tasks.getTask(taskId)).status);
      return { action: 'accept', content: { decision: 'approved' } };
    });

    const seen: string[] = [];
    let result: any;
    let taskId = '';
    for await (const message of client.experimental.tasks.callToolStream({ name: 'codex', arguments: codexArgs('make sdk.txt') })) {
      if (message.type === 'taskCreated') {
        taskId = message.task.taskId;
        seen.push('created');
        expect(message.task).to.include({ status: 'working', ttl: 3_600_000, pollInterval: 500 });
      } else if (message.type === 'taskStatus') {
        seen.push(message.task.status);
        // The model request is held: the task is working; let the model answer now.
        if (message.task.status === 'working' && mock.held > 0) mock.release();
      } else if (message.type === 'result') {
        result = message.result;
      } else if (message.type === 'error') {
        throw message.error;
      }
    }
    expect(seen.slice(0, 2)).to.deep.equal(['created', 'working']);
    expect(statusesDuringApproval).to.deep.equal(['input_required']);
    expect(elicitation?.message).to.contain('touch sdk.txt');
    expect(existsSync(join(work, 'sdk.txt'))).to.equal(true);
    expect(result.content[0]).to.deep.equal({ type: 'text', text: 'made it' });
    expect(result.structuredContent).to.include({ lastAgentMessage: 'made it' });
    expect(result._meta[RELATED_TASK]).to.deep.equal({ taskId });

    const stored = await client.experimental.tasks.getTask(taskId);
    expect(stored.status).to.equal('completed');
    const listed = await client.experimental.tasks.listTasks();
    expect(listed.tasks.map((t) => t.taskId)).to.include(taskId);
    // A task in a terminal status cannot be cancelled in this revision.
    try {
      await client.experimental.tasks.cancelTask(taskId);
      expect.fail('cancelTask should have thrown');
    } catch (err) {
      expect((err as { code?: number }).code).to.equal(-32602);
    }
  });

  it('tasks/cancel ends a running task, which then reads cancelled', async () => {
    await client.listTools();
    mock.enqueue({ kind: 'text', text: 'never', delayMs: 90_000 });
    const stream = client.experimental.tasks.callToolStream({ name: 'codex', arguments: codexArgs('wait') });
    const first = await stream.next();
    expect(first.value?.type).to.equal('taskCreated');
    const taskId = (first.value as { task: { taskId: string } }).task.taskId;
    await mock.waitForRequests(1);
    const cancelled = await client.experimental.tasks.cancelTask(taskId);
    expect(cancelled.status).to.equal('cancelled');
    expect((await client.experimental.tasks.getTask(taskId)).status).to.equal('cancelled');
    await stream.return(undefined);
  });
});

describe('2025-11-25 tasks over raw JSON-RPC: kill -9 of the server, ttl', function () {
  this.timeout(30_000);
  let home: TempHome;
  let mock: MockProvider;
  const clients: McpTestClient[] = [];
  afterEach(async () => {
    mock.release();
    for (const c of clients.splice(0)) await c.close();
    await mock.close();
    home.remove();
  });

  async function open(): Promise<McpTestClient> {
    const c = McpTestClient.spawn({ home: home.path });
    clients.push(c);
    await c.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    c.notify('notifications/initialized', {});
    return c;
  }

  it('a new server answers tasks/get and tasks/result: completed with the result, or failed because the server restarted', async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url) });
    const a = await open();
    const args = { prompt: 'p', 'approval-policy': 'never', sandbox: 'read-only' };
    mock.enqueue({ kind: 'text', text: 'before the crash' });
    const done = (await a.request('tools/call', { name: 'codex', arguments: args, task: { ttl: 600_000 } })).result.task;
    expect(done).to.include({ status: 'working', ttl: 600_000 });
    await a.waitForNotification('notifications/tasks/status', (p) => p.taskId === done.taskId && p.status === 'completed');
    mock.enqueue({ kind: 'text', text: 'never', delayMs: 90_000 });
    const running = (await a.request('tools/call', { name: 'codex', arguments: args, task: {} })).result.task;
    await mock.waitForRequests(2);
    a.proc.kill('SIGKILL');
    await a.exited;

    const b = await open();
    expect((await b.request('tasks/get', { taskId: done.taskId })).result).to.include({ status: 'completed', ttl: 600_000 });
    const result = await b.request('tasks/result', { taskId: done.taskId });
    expect(result.result.content[0]).to.deep.equal({ type: 'text', text: 'before the crash' });
    expect(result.result._meta[RELATED_TASK]).to.deep.equal({ taskId: done.taskId });
    const failed = await b.request('tasks/get', { taskId: running.taskId });
    expect(failed.result.status).to.equal('failed');
    expect(failed.result.statusMessage).to.contain('restarted');
    const error = await b.request('tasks/result', { taskId: running.taskId });
    expect(error.error.code).to.equal(-32603);
    expect(error.error.message).to.contain('server restarted');
    const listed = await b.request('tasks/list', {});
    expect(listed.result.tasks.map((t: { taskId: string }) => t.taskId).sort()).to.deep.equal([done.taskId, running.taskId].sort());
  });

  it('honours ttl: a finished task past its ttl is gone, file and all (-32602); a bad ttl is -32602', async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url) });
    const a = await open();
    const args = { prompt: 'p', 'approval-policy': 'never', sandbox: 'read-only' };
    mock.enqueue({ kind: 'text', text: 'short-lived' });
    const task = (await a.request('tools/call', { name: 'codex', arguments: args, task: { ttl: 0 } })).result.task;
    expect(task.ttl).to.equal(0);
    await a.waitForNotification('notifications/tasks/status', (p) => p.taskId === task.taskId && p.status === 'completed');
    expect((await a.request('tasks/get', { taskId: task.taskId })).error.code).to.equal(-32602);
    expect(existsSync(join(home.path, 'tasks', `${task.taskId}.json`))).to.equal(false);
    const bad = await a.request('tools/call', { name: 'codex', arguments: args, task: { ttl: 'soon' } });
    expect(bad.error.code).to.equal(-32602);
    expect(bad.error.message).to.contain('task.ttl');
  });
});

describe('clients that never ask for a task see nothing new', () => {
  let home: TempHome;
  let raw: McpTestClient;
  afterEach(async () => {
    await raw.close();
    home.remove();
  });

  it('2025-06-18: no tasks capability and no execution member on the tools', async () => {
    home = new TempHome();
    raw = McpTestClient.spawn({ home: home.path });
    const init = await raw.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'old', version: '1' } });
    expect(init.result.capabilities).to.deep.equal({ tools: { listChanged: true }, logging: {}, resources: { subscribe: true, listChanged: true } });
    raw.notify('notifications/initialized', {});
    const list = await raw.request('tools/list', {});
    for (const tool of list.result.tools) expect(tool).to.not.have.property('execution');
    expect(readdirSync(home.path)).to.not.include('tasks');
  });

  it('codex 0.29 (no initialize): tools/list has no execution member, and no task notification is sent', async () => {
    home = new TempHome();
    raw = McpTestClient.spawn({ home: home.path });
    const list = await raw.request('tools/list', {});
    for (const tool of list.result.tools) expect(tool).to.not.have.property('execution');
    expect(raw.messages.filter((m) => typeof m.method === 'string' && m.method.startsWith('notifications/tasks'))).to.deep.equal([]);
  });
});
