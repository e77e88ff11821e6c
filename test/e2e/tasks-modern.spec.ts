import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockConfig, type EngineOptions } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { FORM, ModernClient, envelope } from '../support/modern-client';
import { eventually } from '../exec/helpers';
import { commandProcesses, pollUntil } from '../support/tasks';
import { TempHome } from '../support/temp-home';

const TASKS = 'io.modelcontextprotocol/tasks';
/** A request that declares the tasks extension and form elicitation. */
const TASK_CAPS = { ...FORM, extensions: { [TASKS]: {} } };
const HOLD_90_S = 90_000;

const touch = (name: string, callId = 'call1') => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['touch', name] } });

describe('MCP tasks extension (2026-07-28): codex runs as tasks, raw JSON-RPC', function () {
  this.timeout(30_000);
  let home: TempHome;
  let mock: MockProvider | undefined;
  let client: ModernClient;
  let work: string;
  const extra: ModernClient[] = [];

  async function start(options: EngineOptions = {}): Promise<ModernClient> {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, options) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-tasks-'));
    client = ModernClient.spawn({ home: home.path, env: { AGENTWIRE_LOG: 'info' } });
    return client;
  }

  afterEach(async function () {
    const problems = client ? [...client.schemaProblems(), ...client.clientProblems()] : [];
    for (const c of extra) problems.push(...c.schemaProblems(), ...c.clientProblems());
    mock?.release();
    await client?.close();
    for (const c of extra.splice(0)) await c.close();
    await mock?.close();
    mock = undefined;
    home?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
    if (this.currentTest?.state !== 'failed') expect(problems, 'messages that the official schemas (core and tasks extension) reject').to.deep.equal([]);
  });

  const codexArgs = (prompt: string, more: Record<string, unknown> = {}) => ({ prompt, cwd: work, 'approval-policy': 'untrusted', sandbox: 'danger-full-access', ...more });
  const get = (c: ModernClient, taskId: string) => c.request('tasks/get', { taskId }, { capabilities: TASK_CAPS });
  const taskNote = (taskId: string, status: string) => client.raw.waitForNotification('notifications/tasks', (p) => p.taskId === taskId && p.status === status, 20_000);

  it('server/discover lists the extension; a request without it still gets the plain result', async () => {
    await start();
    const discover = await client.request('server/discover');
    expect(discover.result.capabilities.extensions).to.deep.equal({ [TASKS]: {} });
    mock!.enqueue({ kind: 'text', text: 'plain' });
    const plain = await client.request('tools/call', { name: 'codex', arguments: codexArgs('hi') });
    expect(plain.result.resultType).to.equal('complete');
    expect(plain.result.content[0]).to.deep.equal({ type: 'text', text: 'plain' });
    expect(existsSync(join(home.path, 'tasks'))).to.equal(false);
  });

  it('runs codex as a task: working with a statusMessage, input_required with the approval form, tasks/update, completed like a plain call', async () => {
    await start();
    mock!.enqueue({ ...touch('approved.txt'), delayMs: HOLD_90_S }, { kind: 'text', text: 'done' });
    const created = await client.request('tools/call', { name: 'codex', arguments: codexArgs('make a file') }, { capabilities: TASK_CAPS });
    const task = created.result;
    expect(task).to.include({ resultType: 'task', status: 'working', ttlMs: 3_600_000, pollIntervalMs: 500 });
    expect(task.taskId).to.match(/^[0-9a-f]{32}$/);
    expect(Date.parse(task.createdAt)).to.be.a('number').and.not.NaN;
    // Written before the handle was returned.
    const file = join(home.path, 'tasks', `${task.taskId}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.include({ taskId: task.taskId, tool: 'codex' });

    await mock!.waitForRequests(1);
    const working = await get(client, task.taskId);
    expect(working.result).to.include({ resultType: 'complete', taskId: task.taskId, status: 'working', statusMessage: 'thinking' });

    client.send('subscriptions/listen', { notifications: { taskIds: [task.taskId, 'f'.repeat(32)] } }, TASK_CAPS);
    const ack = await client.raw.waitForNotification('notifications/subscriptions/acknowledged');
    expect(ack.params.notifications).to.deep.equal({ taskIds: [task.taskId] });
    expect(mock!.release()).to.equal(1);

    const asking = await taskNote(task.taskId, 'input_required');
    const [key, input] = Object.entries(asking.params.inputRequests)[0] as [string, any];
    expect(key).to.equal('approval-call1');
    expect(input.method).to.equal('elicitation/create');
    expect(input.params.message).to.contain('touch approved.txt').and.to.contain(work);
    const polled = await get(client, task.taskId);
    expect(polled.result.status).to.equal('input_required');
    expect(polled.result.statusMessage).to.equal(`waiting for approval: Allow Codex to run \`touch approved.txt\` in \`${work}\`?`);
    expect(polled.result.inputRequests).to.have.property(key);
    expect(existsSync(join(work, 'approved.txt'))).to.equal(false);

    const ackUpdate = await client.request(
      'tasks/update',
      { taskId: task.taskId, inputResponses: { [key]: { action: 'accept', content: { decision: 'approved' } }, unknown: { action: 'accept' } } },
      { capabilities: TASK_CAPS },
    );
    expect(ackUpdate.result).to.include({ resultType: 'complete' });
    const done = await taskNote(task.taskId, 'completed');
    expect(existsSync(join(work, 'approved.txt'))).to.equal(true);
    const final = await get(client, task.taskId);
    expect(final.result.status).to.equal('completed');
    // The same content and structuredContent as a plain modern call: the answer, the link to the conversation, then
    // the mirror of structuredContent.
    const result = final.result.result;
    expect(result.content[0]).to.deep.equal({ type: 'text', text: 'done' });
    expect(result.structuredContent).to.include({ lastAgentMessage: 'done' });
    expect(result.content[1]).to.include({ type: 'resource_link', uri: `agentwire://conversations/${result.structuredContent.conversationId}` });
    expect(result.content.at(-1)).to.deep.equal({ type: 'text', text: JSON.stringify(result.structuredContent) });
    expect(done.params.result).to.deep.equal(result);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.include({ status: 'completed' });
  });

  it('tasks/cancel interrupts the turn: no process is left behind and the task reads cancelled', async () => {
    await start({ approvalPolicy: 'never' });
    mock!.enqueue({ kind: 'tool_call', name: 'shell', callId: 'c1', arguments: { command: ['sleep', '60'] } }, { kind: 'text', text: 'unused' });
    const created = await client.request('tools/call', { name: 'codex', arguments: codexArgs('sleep', { 'approval-policy': 'never' }) }, { capabilities: TASK_CAPS });
    const { taskId } = created.result;
    const running = await pollUntil(
      () => get(client, taskId),
      (r) => r.result.statusMessage === 'running sleep 60',
      'the task to run sleep',
    );
    expect(running.result.status).to.equal('working');
    // The status line changes at exec_command_begin, a moment before the process exists: wait for it.
    expect(await eventually(() => commandProcesses(client.raw.proc.pid!).length > 0)).to.equal(true, 'the command never started');
    const cancel = await client.request('tasks/cancel', { taskId }, { capabilities: TASK_CAPS });
    expect(cancel.result.resultType).to.equal('complete');
    expect(await eventually(() => commandProcesses(client.raw.proc.pid!).length === 0)).to.equal(true, 'a process of the task is left');
    const after = await get(client, taskId);
    expect(after.result.status).to.equal('cancelled');
    // Cooperative and idempotent in this revision: a second cancel is an ack too.
    expect((await client.request('tasks/cancel', { taskId }, { capabilities: TASK_CAPS })).result.resultType).to.equal('complete');
  });

  it('holds the model for 90 s: the task handle comes back at once, a plain call still works, and the task completes once released', async () => {
    await start();
    mock!.enqueue({ kind: 'text', text: 'slow answer', delayMs: HOLD_90_S });
    const created = await client.request('tools/call', { name: 'codex', arguments: codexArgs('slow') }, { capabilities: TASK_CAPS });
    expect(created.result).to.include({ resultType: 'task', status: 'working' });
    const { taskId } = created.result;
    await mock!.waitForRequests(1);
    expect(mock!.held).to.equal(1);

    // A plain call from the same client, while the task's model request is held.
    mock!.enqueue({ kind: 'text', text: 'quick answer' });
    const plain = await client.request('tools/call', { name: 'codex', arguments: codexArgs('quick') });
    expect(plain.result.content[0]).to.deep.equal({ type: 'text', text: 'quick answer' });
    expect((await get(client, taskId)).result.status).to.equal('working');

    client.send('subscriptions/listen', { notifications: { taskIds: [taskId] } }, TASK_CAPS);
    await client.raw.waitForNotification('notifications/subscriptions/acknowledged');
    mock!.release();
    const done = await taskNote(taskId, 'completed');
    expect(done.params.result.content[0]).to.deep.equal({ type: 'text', text: 'slow answer' });
  });

  it('survives kill -9: a finished task reads completed with its result, an unfinished one failed (server restarted)', async () => {
    await start();
    mock!.enqueue({ kind: 'text', text: 'finished before the crash' });
    const first = (await client.request('tools/call', { name: 'codex', arguments: codexArgs('one') }, { capabilities: TASK_CAPS })).result.taskId;
    await pollUntil(
      () => get(client, first),
      (r) => r.result.status === 'completed',
      'the first task to complete',
    );
    mock!.enqueue({ kind: 'text', text: 'never sent', delayMs: HOLD_90_S });
    const second = (await client.request('tools/call', { name: 'codex', arguments: codexArgs('two') }, { capabilities: TASK_CAPS })).result.taskId;
    await mock!.waitForRequests(2);
    expect((await get(client, second)).result.status).to.equal('working');

    client.raw.proc.kill('SIGKILL');
    await client.raw.exited;
    const next = ModernClient.spawn({ home: home.path, env: { AGENTWIRE_LOG: 'info' } });
    extra.push(next);
    const completed = await get(next, first);
    expect(completed.result.status).to.equal('completed');
    expect(completed.result.result.content[0]).to.deep.equal({ type: 'text', text: 'finished before the crash' });
    const failed = await get(next, second);
    expect(failed.result.status).to.equal('failed');
    expect(failed.result.error.message).to.contain('server restarted');
    expect(JSON.parse(readFileSync(join(home.path, 'tasks', `${second}.json`), 'utf8'))).to.include({ status: 'failed' });
  });

  it('codex-reply runs as a task too, continuing the session', async () => {
    await start();
    mock!.enqueue({ kind: 'text', text: 'first' }, { kind: 'text', text: 'second' });
    const first = await client.request('tools/call', { name: 'codex', arguments: codexArgs('one') });
    const sessionId = first.result.structuredContent.sessionId;
    const created = await client.request('tools/call', { name: 'codex-reply', arguments: { sessionId, prompt: 'two' } }, { capabilities: TASK_CAPS });
    expect(created.result.resultType).to.equal('task');
    const done = await pollUntil(
      () => get(client, created.result.taskId),
      (r) => r.result.status === 'completed',
      'codex-reply task to complete',
    );
    expect(done.result.result.structuredContent).to.include({ sessionId, lastAgentMessage: 'second' });
    // The model saw the first turn: the session went on.
    expect(JSON.stringify(mock!.requests[1].body)).to.contain('first');
  });

  it('a task created without form elicitation never shows input_required: the approval is denied and the result says why', async () => {
    await start();
    mock!.enqueue(touch('denied.txt'), { kind: 'text', text: 'could not' });
    const created = await client.request('tools/call', { name: 'codex', arguments: codexArgs('touch') }, { capabilities: { extensions: { [TASKS]: {} } } });
    const done = await pollUntil(
      () => get(client, created.result.taskId),
      (r) => r.result.status === 'completed',
      'the task to complete',
    );
    expect(existsSync(join(work, 'denied.txt'))).to.equal(false);
    expect(JSON.stringify(done.result.result.content)).to.contain('did not declare the elicitation (form) capability');
  });

  it('on stdin EOF a running task is recorded as failed (server shut down) and the process exits', async () => {
    await start();
    mock!.enqueue({ kind: 'text', text: 'held', delayMs: HOLD_90_S });
    const { taskId } = (await client.request('tools/call', { name: 'codex', arguments: codexArgs('held') }, { capabilities: TASK_CAPS })).result;
    await mock!.waitForRequests(1);
    client.raw.closeStdin();
    await client.raw.exited;
    const stored = JSON.parse(readFileSync(join(home.path, 'tasks', `${taskId}.json`), 'utf8'));
    expect(stored.status).to.equal('failed');
    expect(stored.error.message).to.equal('the server shut down before the task finished');
  });

  it('unknown, malformed and path-like task ids are -32602; tasks/* without the capability are -32021', async () => {
    await start();
    for (const taskId of ['0'.repeat(32), '../config', '../../etc/passwd', 'A'.repeat(32)]) {
      const reply = await get(client, taskId);
      expect(reply.error.code, taskId).to.equal(-32602);
    }
    const noCap = await client.request('tasks/get', { taskId: '0'.repeat(32) });
    expect(noCap.error.code).to.equal(-32021);
    expect(noCap.error.data.requiredCapabilities).to.deep.equal({ extensions: { [TASKS]: {} } });
    // The 2025-11-25 methods the extension removed (sent past the ModernClient: they are not valid requests of this revision).
    for (const method of ['tasks/result', 'tasks/list']) {
      const reply = await client.raw.request(method, { taskId: '0'.repeat(32), _meta: envelope(TASK_CAPS) });
      expect(reply.error.code, method).to.equal(-32601);
    }
    expect(readdirSync(home.path)).to.not.include('tasks');
  });

  it('past max_running_tasks a task-augmented call is refused with a clear error, not queued', async () => {
    await start({ top: 'max_running_tasks = 1\n' });
    mock!.enqueue({ kind: 'text', text: 'held', delayMs: HOLD_90_S });
    const first = await client.request('tools/call', { name: 'codex', arguments: codexArgs('one') }, { capabilities: TASK_CAPS });
    expect(first.result.resultType).to.equal('task');
    const refused = await client.request('tools/call', { name: 'codex', arguments: codexArgs('two') }, { capabilities: TASK_CAPS });
    expect(refused.error.code).to.equal(-32000);
    expect(refused.error.message).to.contain('max_running_tasks = 1');
    expect(readdirSync(join(home.path, 'tasks'))).to.have.length(1);
  });
});
