import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
    let ran = false;
    const invoke = sinon.spy(async (): Promise<CallToolResult> => {
      ran = true;
      return { content: [{ type: 'text', text: 'done' }] };
    });
    let handle: Record<string, unknown> | undefined;
    const started = new TaskToolCall(store, invoke).start(tool, {}, requestContext()).then((h) => (handle = h));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran, 'the run started before the task was written').to.equal(true);
    expect(handle, 'no handle before the task is written').to.equal(undefined);
    releaseWrite();
    await started;
    const task = (handle as { task: { taskId: string; status: string } }).task;
    expect(task.status).to.equal('working');
    expect(existsSync(join(home, 'tasks', `${task.taskId}.json`))).to.equal(true);
  });
});
