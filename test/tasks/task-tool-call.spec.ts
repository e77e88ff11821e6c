import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import type { CallToolResult, ToolDefinition } from '../../src/mcp/tool-registry';
import { TaskStore } from '../../src/tasks/task-store';
import { TaskToolCall } from '../../src/tasks/task-tool-call';
import { requestContext } from '../handlers/request-context';

const tool: ToolDefinition = { name: 'codex', description: 'd', inputSchema: { type: 'object' }, call: () => ({ content: [] }) };

describe('TaskToolCall (a tools/call answered with a task handle)', () => {
  let home: string;
  let store: TaskStore;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'agentwire-tasktoolcall-'));
    store = new TaskStore(home, 4);
  });
  afterEach(async () => {
    await store.close();
    sinon.restore();
    rmSync(home, { recursive: true, force: true });
  });

  it('starts the run while the task is written, and gives the handle (working) only once the file is there, even when the run is done first', async () => {
    const realWrite = store.files.write.bind(store.files);
    let releaseWrite!: () => void;
    const writeHeld = new Promise<void>((resolve) => (releaseWrite = resolve));
    sinon.stub(store.files, 'write').callsFake(async (record) => {
      if (record.status === 'working') await writeHeld;
      await realWrite(record);
    });
    let ran!: () => void;
    const runStarted = new Promise<void>((resolve) => (ran = resolve));
    const invoke = async (): Promise<CallToolResult> => {
      ran();
      return { content: [{ type: 'text', text: 'done' }] };
    };
    let handle: Record<string, unknown> | undefined;
    const started = new TaskToolCall(store, invoke).start(tool, {}, requestContext()).then((h) => (handle = h));
    // The run starts while the write is held (otherwise this waits for ever and the test times out).
    await runStarted;
    expect(handle, 'no handle before the task is written').to.equal(undefined);
    releaseWrite();
    await started;
    const task = (handle as { task: { taskId: string; status: string } }).task;
    expect(task.status).to.equal('working');
    expect(existsSync(join(home, 'tasks', `${task.taskId}.json`))).to.equal(true);
  });

  it('a run that ends before the first write fails leaves nothing: the call fails, no status is told, no file is written', async () => {
    let failWrite!: () => void;
    const writeFails = new Promise<void>((resolve) => (failWrite = resolve));
    const writes: string[] = [];
    sinon.stub(store.files, 'write').callsFake(async (record) => {
      writes.push(record.status);
      await writeFails;
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const told: string[] = [];
    store.onChange((view) => told.push(view.record.status));
    // The run is released once its final state has gone through the store (written and told, or not).
    const release = store.released.bind(store);
    let released!: () => void;
    const runReleased = new Promise<void>((resolve) => (released = resolve));
    sinon.stub(store, 'released').callsFake((task) => {
      release(task);
      released();
    });
    // The run's end reaches the store (its completion queued behind the first write).
    const finish = store.finish.bind(store);
    let finishing!: () => void;
    const runEnded = new Promise<void>((resolve) => (finishing = resolve));
    sinon.stub(store, 'finish').callsFake((task, end) => {
      finishing();
      return finish(task, end);
    });
    const invoke = async (): Promise<CallToolResult> => ({ content: [{ type: 'text', text: 'done' }] });
    const outcome = new TaskToolCall(store, invoke).start(tool, {}, requestContext()).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    // The run is over before the first write fails.
    await runEnded;
    failWrite();
    expect(await outcome).to.contain('could not record the task');
    await runReleased;
    expect(told, 'statuses told').to.deep.equal([]);
    expect(writes, 'writes tried').to.deep.equal(['working']);
    expect(existsSync(join(home, 'tasks')) ? readdirSync(join(home, 'tasks')) : []).to.deep.equal([]);
  });
});
