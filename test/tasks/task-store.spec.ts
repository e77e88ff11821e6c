import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { newTaskId, isTaskId } from '../../src/tasks/task-id';
import { currentOwner, isOwnerAlive } from '../../src/tasks/task-owner';
import type { TaskRecord } from '../../src/tasks/task-record';
import { STALE_TEMP_MS } from '../../src/tasks/task-files';
import { TaskStore } from '../../src/tasks/task-store';

function record(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const now = new Date().toISOString();
  return {
    v: 1,
    taskId: newTaskId(),
    era: 'modern',
    tool: 'codex',
    status: 'completed',
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 3_600_000,
    pollIntervalMs: 500,
    owner: currentOwner(),
    result: { content: [{ type: 'text', text: 'ok' }] },
    ...overrides,
  };
}

/** The pid of a process that has exited (so nothing runs under it, unless reused: the start time tells). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('TaskStore (one store behind both eras)', () => {
  let home: string;
  let store: TaskStore;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'agentwire-taskstore-'));
    store = new TaskStore(home, 2);
  });
  afterEach(async () => {
    await store.close();
    sinon.restore();
    rmSync(home, { recursive: true, force: true });
  });

  it('task ids are 128 random bits in hex, and nothing else passes as one', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTaskId));
    expect(ids.size).to.equal(1000);
    for (const id of ids) expect(isTaskId(id)).to.equal(true);
    for (const bad of ['', '../x', '0'.repeat(31), '0'.repeat(33), 'G'.repeat(32), `${'0'.repeat(31)}/`, '0'.repeat(16) + '.json'.padEnd(16, 'a')])
      expect(isTaskId(bad), bad).to.equal(false);
  });

  it('writes the task file (mode 0600) before create() resolves, and finish() replaces it', async () => {
    const task = await store.create({ era: 'modern', tool: 'codex' });
    const file = join(home, 'tasks', `${task.record.taskId}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.include({ status: 'working', tool: 'codex', era: 'modern' });
    expect(readdirSync(join(home, 'tasks'))).to.deep.equal([`${task.record.taskId}.json`]);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    await store.finish(task, { status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } });
    store.released(task);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.include({ status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } });
  });

  it('a task file that cannot be replaced keeps its place, and no temp file is left behind', async () => {
    const files = store.files;
    const ok = record();
    await Promise.all([files.write(ok), files.write(record())]);
    await files.write({ ...ok, status: 'failed' });
    expect(readdirSync(files.dir).every((name) => name.endsWith('.json'))).to.equal(true);
    expect((await files.read(ok.taskId))?.status).to.equal('failed');
    // A folder where the file should be: the rename fails, the error reaches the caller.
    const blocked = record();
    mkdirSync(join(files.dir, `${blocked.taskId}.json`, 'inside'), { recursive: true });
    let failure: unknown;
    await files.write(blocked).catch((err: unknown) => (failure = err));
    expect(failure).to.be.instanceOf(Error);
    expect(readdirSync(files.dir).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
    expect((await files.read(ok.taskId))?.status).to.equal('failed');
  });

  it('temp files carry random names; a temp file left by a dead writer is removed at start-up once old, a fresh one is kept', async () => {
    const files = store.files;
    const a = record();
    await files.write(a);
    // Two writes of one task at once by this process (same pid) still get two temp files, and no error.
    await Promise.all([files.write({ ...a, status: 'failed' }), files.write({ ...a, status: 'cancelled' })]);
    const leftOld = join(files.dir, `${a.taskId}.json.4242-abcdef.tmp`);
    const leftNew = join(files.dir, `${a.taskId}.json.4243-abcdef.tmp`);
    const notOurs = join(files.dir, 'notes.tmp');
    for (const path of [leftOld, leftNew, notOurs]) writeFileSync(path, '{"half":');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    utimesSync(leftOld, old, old);
    utimesSync(notOurs, old, old);
    await store.recover();
    expect(existsSync(leftOld), 'an old temp file').to.equal(false);
    expect(existsSync(leftNew), 'a temp file that may still be written').to.equal(true);
    expect(existsSync(notOurs), 'a file that is not a task temp file').to.equal(true);
    expect((await files.read(a.taskId))?.status).to.be.oneOf(['failed', 'cancelled']);
  });

  it('register: the run may start before the task is written; `recorded` settles once the file is there', async () => {
    const { task, recorded } = store.register({ era: 'handshake', tool: 'codex' });
    expect(store.liveTask(task.record.taskId)).to.equal(task);
    await recorded;
    expect((await store.files.read(task.record.taskId))?.status).to.equal('working');
  });

  it('a task that cannot be written fails the call, its run is aborted, and nothing of it is written or told later', async () => {
    const write = sinon.stub(store.files, 'write').rejects(new Error('disk full'));
    const told: string[] = [];
    store.onChange((view) => told.push(view.record.status));
    const { task, recorded } = store.register({ era: 'modern', tool: 'codex' });
    const failure = await recorded.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).to.be.instanceOf(Error);
    expect((failure as { code?: number }).code).to.equal(-32603);
    expect(task.controller.signal.aborted, 'run aborted').to.equal(true);
    expect(store.liveTask(task.record.taskId)).to.equal(undefined);
    await store.finish(task, { status: 'completed', result: { content: [{ type: 'text', text: 'late' }] } });
    store.released(task);
    expect(write.callCount, 'only the one write that failed').to.equal(1);
    expect(told).to.deep.equal([]);
    expect(store.runningCount).to.equal(0);
  });

  it('refuses a task past max_running_tasks, and counts a task again once its run is released', async () => {
    const a = await store.create({ era: 'modern', tool: 'codex' });
    await store.create({ era: 'modern', tool: 'codex' });
    try {
      await store.create({ era: 'modern', tool: 'codex' });
      expect.fail('create should have thrown');
    } catch (err) {
      expect((err as { code: number }).code).to.equal(-32000);
      expect((err as Error).message).to.contain('max_running_tasks = 2');
    }
    await store.finish(a, { status: 'cancelled', message: 'x' });
    store.released(a);
    await store.create({ era: 'modern', tool: 'codex' });
  });

  it('tasks/get on 1,000 stored tasks reads one file and lists none', async () => {
    const records = Array.from({ length: 1000 }, () => record());
    for (const r of records) await store.files.write(r);
    const fresh = new TaskStore(home, 8);
    const read = sinon.spy(fresh.files, 'read');
    const ids = sinon.spy(fresh.files, 'ids');
    const view = await fresh.get(records[567].taskId);
    expect(view?.record.taskId).to.equal(records[567].taskId);
    expect(read.callCount).to.equal(1);
    expect(ids.callCount).to.equal(0);
  });

  it('a task recorded as running by a process that is gone reads as failed (server restarted), on read and at start-up', async () => {
    const pid = deadPid();
    const orphan = record({ status: 'working', result: undefined, owner: { pid, boot: currentOwner().boot, start: '1' } });
    const other = record({ status: 'input_required', result: undefined, owner: { pid, boot: 'another-boot' } });
    await store.files.write(orphan);
    await store.files.write(other);
    expect(isOwnerAlive(orphan.owner)).to.equal(false);
    const view = await store.get(orphan.taskId);
    expect(view?.record.status).to.equal('failed');
    expect(view?.record.error?.message).to.contain('server restarted');
    await store.recover();
    const stored = JSON.parse(readFileSync(join(home, 'tasks', `${other.taskId}.json`), 'utf8'));
    expect(stored.status).to.equal('failed');
  });

  it('a task of a live process (reused pid with another start time counts as dead) is left as it is', async () => {
    const alive = record({ status: 'working', result: undefined, owner: { pid: process.ppid, boot: currentOwner().boot } });
    await store.files.write(alive);
    expect((await store.get(alive.taskId))?.record.status).to.equal('working');
    const reused = record({ status: 'working', result: undefined, owner: { pid: process.ppid, boot: currentOwner().boot, start: '0' } });
    await store.files.write(reused);
    expect((await store.get(reused.taskId))?.record.status).to.equal('failed');
  });

  it('honours ttlMs: an expired terminal task is gone with its file, a running one is kept until it ends', async () => {
    const old = new Date(Date.now() - 10_000).toISOString();
    const expired = record({ createdAt: old, ttlMs: 1000 });
    const unlimited = record({ createdAt: old, ttlMs: null });
    await store.files.write(expired);
    await store.files.write(unlimited);
    expect(await store.get(expired.taskId)).to.equal(undefined);
    expect(existsSync(join(home, 'tasks', `${expired.taskId}.json`))).to.equal(false);
    expect((await store.get(unlimited.taskId))?.record.status).to.equal('completed');

    const running = await store.create({ era: 'handshake', tool: 'codex', ttlMs: 0 });
    expect((await store.get(running.record.taskId))?.record.status).to.equal('working');
    await store.finish(running, { status: 'completed', result: { content: [] } });
    store.released(running);
    await store.sweep();
    expect(existsSync(join(home, 'tasks', `${running.record.taskId}.json`))).to.equal(false);
  });

  it('ignores files in the tasks folder that are not task files, and an unreadable file counts as gone', async () => {
    const r = record();
    await store.files.write(r);
    writeFileSync(join(home, 'tasks', 'notes.txt'), 'x');
    writeFileSync(join(home, 'tasks', `${'a'.repeat(32)}.json`), '{not json');
    expect(await store.files.ids()).to.deep.equal([r.taskId, 'a'.repeat(32)].sort());
    expect(await store.get('a'.repeat(32))).to.equal(undefined);
  });

  it('at close, running tasks are recorded as failed (the server shut down) and their runs aborted', async () => {
    const task = await store.create({ era: 'modern', tool: 'codex' });
    await store.close();
    expect(task.controller.signal.aborted).to.equal(true);
    const stored = JSON.parse(readFileSync(join(home, 'tasks', `${task.record.taskId}.json`), 'utf8'));
    expect(stored).to.deep.include({ status: 'failed', error: { code: -32603, message: 'the server shut down before the task finished' } });
  });
});
