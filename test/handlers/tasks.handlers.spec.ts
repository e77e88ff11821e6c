import { expect } from 'chai';
import sinon from 'sinon';
import { TasksCancelHandler } from '../../src/handlers/tasks-cancel.handler';
import { TasksGetHandler } from '../../src/handlers/tasks-get.handler';
import { TasksListHandler } from '../../src/handlers/tasks-list.handler';
import { TasksResultHandler } from '../../src/handlers/tasks-result.handler';
import { TasksUpdateHandler } from '../../src/handlers/tasks-update.handler';
import type { RequestContext } from '../../src/router/handler';
import type { OutgoingRequests } from '../../src/router/outgoing-requests';
import type { TaskRecord } from '../../src/tasks/task-record';
import { type LiveTask, type TaskListener, TaskStore } from '../../src/tasks/task-store';
import { createTestContainer } from '../support/test-container';

const ID = 'ab'.repeat(16);
const TASKS = 'io.modelcontextprotocol/tasks';
const RELATED = 'io.modelcontextprotocol/related-task';

const record: TaskRecord = {
  v: 1,
  taskId: ID,
  era: 'modern',
  tool: 'codex',
  status: 'completed',
  statusMessage: 'finished',
  createdAt: '2026-12-04T10:00:00.000Z',
  lastUpdatedAt: '2026-12-04T10:01:00.000Z',
  ttlMs: 60_000,
  pollIntervalMs: 500,
  owner: { pid: 1 },
  result: { content: [{ type: 'text', text: 'done' }], isError: true },
};

function ctx(era: 'modern' | 'handshake', capabilities: Record<string, unknown> = { extensions: { [TASKS]: {} } }): RequestContext {
  return {
    id: 1,
    method: 'tasks/get',
    signal: new AbortController().signal,
    meta: undefined,
    outgoing: {} as OutgoingRequests,
    protocol: era === 'modern' ? { era, clientCapabilities: capabilities } : { era },
  };
}

describe('tasks/* handlers: one store, the era maps the shape', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  function resolve<T>(cls: new (...args: never[]) => T, store: sinon.SinonStubbedInstance<TaskStore>): T {
    const root = createTestContainer({ overrides: (c) => c.registerInstance(TaskStore, store) });
    return root.createChildContainer().resolve<T>(cls as never);
  }

  it('tasks/get: a DetailedTask with the result inline (modern), the 2025-11-25 Task (handshake), where an isError result is failed', async () => {
    const store = sandbox.createStubInstance(TaskStore);
    store.get.resolves({ record });
    const handler = resolve(TasksGetHandler, store);
    expect(await handler.handle({ taskId: ID }, ctx('modern'))).to.deep.equal({
      resultType: 'complete',
      taskId: ID,
      status: 'completed',
      statusMessage: 'finished',
      createdAt: record.createdAt,
      lastUpdatedAt: record.lastUpdatedAt,
      ttlMs: 60_000,
      pollIntervalMs: 500,
      result: record.result,
    });
    expect(await handler.handle({ taskId: ID }, ctx('handshake'))).to.deep.equal({
      taskId: ID,
      status: 'failed',
      statusMessage: 'finished',
      createdAt: record.createdAt,
      lastUpdatedAt: record.lastUpdatedAt,
      ttl: 60_000,
      pollInterval: 500,
    });
  });

  it('tasks/get: a malformed id never reaches the store; an unknown one is -32602; no capability is -32021', async () => {
    const store = sandbox.createStubInstance(TaskStore);
    store.get.resolves(undefined);
    const handler = resolve(TasksGetHandler, store);
    for (const taskId of ['../../x', ID]) {
      try {
        await handler.handle({ taskId }, ctx('modern'));
        expect.fail('should have thrown');
      } catch (err) {
        expect((err as { code: number }).code).to.equal(-32602);
      }
    }
    expect(store.get.calledOnceWithExactly(ID)).to.equal(true);
    try {
      await handler.handle({ taskId: ID }, ctx('modern', {}));
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as { code: number }).code).to.equal(-32021);
      expect((err as { data: unknown }).data).to.deep.equal({ requiredCapabilities: { extensions: { [TASKS]: {} } } });
    }
  });

  it('tasks/cancel of a task already ended: an ack in the modern era, -32602 in 2025-11-25', async () => {
    const store = sandbox.createStubInstance(TaskStore);
    store.liveTask.returns(undefined);
    store.get.resolves({ record });
    const handler = resolve(TasksCancelHandler, store);
    expect(await handler.handle({ taskId: ID }, ctx('modern'))).to.deep.equal({});
    try {
      await handler.handle({ taskId: ID }, ctx('handshake'));
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as { code: number }).code).to.equal(-32602);
      expect((err as Error).message).to.contain('already completed');
    }
    expect(store.cancel.called).to.equal(false);
  });

  it('a task running in another server process on the same home can be read, but not answered or cancelled here', async () => {
    const store = sandbox.createStubInstance(TaskStore);
    store.liveTask.returns(undefined);
    store.get.resolves({ record: { ...record, status: 'working', result: undefined, owner: { pid: 4242 } } });
    const attempts: Array<() => Promise<unknown>> = [
      () => resolve(TasksUpdateHandler, store).handle({ taskId: ID, inputResponses: { a: { action: 'accept' } } }, ctx('modern')),
      () => resolve(TasksCancelHandler, store).handle({ taskId: ID }, ctx('modern')),
      () => resolve(TasksCancelHandler, store).handle({ taskId: ID }, ctx('handshake')),
    ];
    for (const attempt of attempts) {
      try {
        await attempt();
        expect.fail('should have thrown');
      } catch (err) {
        expect((err as { code: number }).code).to.equal(-32602);
        expect((err as Error).message).to.contain('runs in another agentwire process (pid 4242)');
      }
    }
    expect((await resolve(TasksGetHandler, store).handle({ taskId: ID }, ctx('modern'))).status).to.equal('working');
  });

  it('tasks/update exists only in the modern era', async () => {
    const store = sandbox.createStubInstance(TaskStore);
    const handler = resolve(TasksUpdateHandler, store);
    try {
      await handler.handle({ taskId: ID, inputResponses: {} }, ctx('handshake'));
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as { code: number }).code).to.equal(-32601);
    }
  });

  describe('tasks/list', () => {
    const other: TaskRecord = { ...record, taskId: 'cd'.repeat(16), status: 'working', statusMessage: undefined, result: undefined };

    it('asks the store for a page of 50 from the cursor and maps each task to the 2025-11-25 shape, with nextCursor', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.list.resolves({ views: [{ record }, { record: other }], nextCursor: other.taskId });
      const result = await resolve(TasksListHandler, store).handle({ cursor: ID });
      expect(store.list.calledOnceWithExactly(ID, 50)).to.equal(true);
      expect(result).to.deep.equal({
        tasks: [
          { taskId: ID, status: 'failed', statusMessage: 'finished', createdAt: record.createdAt, lastUpdatedAt: record.lastUpdatedAt, ttl: 60_000, pollInterval: 500 },
          { taskId: other.taskId, status: 'working', createdAt: record.createdAt, lastUpdatedAt: record.lastUpdatedAt, ttl: 60_000, pollInterval: 500 },
        ],
        nextCursor: other.taskId,
      });
    });

    it('the last page has no nextCursor; no cursor starts at the beginning', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.list.resolves({ views: [] });
      expect(await resolve(TasksListHandler, store).handle({})).to.deep.equal({ tasks: [] });
      expect(store.list.calledOnceWithExactly(undefined, 50)).to.equal(true);
    });

    it('a cursor that is not a task id is -32602 and never reaches the store', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      try {
        await resolve(TasksListHandler, store).handle({ cursor: '../../etc' });
        expect.fail('should have thrown');
      } catch (err) {
        expect((err as { code: number }).code).to.equal(-32602);
        expect((err as Error).message).to.contain('cursor');
      }
      expect(store.list.called).to.equal(false);
    });
  });

  describe('tasks/result', () => {
    async function codeOf(promise: Promise<unknown>): Promise<{ code: number; message: string; data: unknown }> {
      try {
        await promise;
      } catch (err) {
        return err as { code: number; message: string; data: unknown };
      }
      return expect.fail('should have thrown');
    }

    it('a completed task: its tools/call result, tagged with related-task, keeping its own _meta', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.get.resolves({ record: { ...record, result: { content: [{ type: 'text', text: 'done' }], _meta: { keep: 1 } } } });
      expect(await resolve(TasksResultHandler, store).handle({ taskId: ID }, ctx('handshake'))).to.deep.equal({
        content: [{ type: 'text', text: 'done' }],
        _meta: { keep: 1, [RELATED]: { taskId: ID } },
      });
      expect(store.get.calledOnceWithExactly(ID)).to.equal(true);
      expect(store.onChange.called).to.equal(false);
    });

    it('a failed task: its JSON-RPC error; a cancelled one: -32603 saying so, tagged with related-task', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.get.resolves({ record: { ...record, status: 'failed', result: undefined, error: { code: -32000, message: 'boom', data: { why: 'x' } } } });
      const failed = await codeOf(resolve(TasksResultHandler, store).handle({ taskId: ID }, ctx('handshake')));
      expect([failed.code, failed.message, failed.data]).to.deep.equal([-32000, 'boom', { why: 'x' }]);
      store.get.resolves({ record: { ...record, status: 'cancelled', result: undefined } });
      const cancelled = await codeOf(resolve(TasksResultHandler, store).handle({ taskId: ID }, ctx('handshake')));
      expect([cancelled.code, cancelled.message, cancelled.data]).to.deep.equal([-32603, `task ${ID} was cancelled`, { [RELATED]: { taskId: ID } }]);
    });

    it('an unknown or malformed task id is -32602', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.get.resolves(undefined);
      for (const taskId of ['nope', ID]) expect((await codeOf(resolve(TasksResultHandler, store).handle({ taskId }, ctx('handshake')))).code).to.equal(-32602);
      expect(store.get.calledOnceWithExactly(ID)).to.equal(true);
    });

    it('a task still running in another process is -32602 naming its pid, without waiting', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.get.resolves({ record: { ...record, status: 'working', result: undefined, owner: { pid: 4242 } } });
      store.liveTask.returns(undefined);
      const err = await codeOf(resolve(TasksResultHandler, store).handle({ taskId: ID }, ctx('handshake')));
      expect(err.code).to.equal(-32602);
      expect(err.message).to.contain('pid 4242');
      expect(store.liveTask.calledOnceWithExactly(ID)).to.equal(true);
      expect(store.onChange.called).to.equal(false);
    });

    it('a live task: waits, ignoring other tasks and non-terminal changes, answers its result, and stops listening', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      const working: TaskRecord = { ...record, status: 'working', result: undefined };
      store.get.resolves({ record: working });
      store.liveTask.returns({} as LiveTask);
      let listener: TaskListener | undefined;
      const stop = sandbox.stub();
      store.onChange.callsFake((fn: TaskListener) => {
        listener = fn;
        return stop;
      });
      const answer = resolve(TasksResultHandler, store).handle({ taskId: ID }, ctx('handshake'));
      await new Promise((r) => setImmediate(r));
      expect(listener).to.be.a('function');
      listener!({ record: { ...record, taskId: 'cd'.repeat(16) } });
      listener!({ record: { ...working, status: 'input_required' } });
      expect(stop.called).to.equal(false);
      listener!({ record: { ...record, result: { content: [{ type: 'text', text: 'late' }] } } });
      expect(await answer).to.deep.equal({ content: [{ type: 'text', text: 'late' }], _meta: { [RELATED]: { taskId: ID } } });
      expect(stop.calledOnce).to.equal(true);
    });

    it('a live task the request is cancelled for: rejects with the abort reason and stops listening', async () => {
      const store = sandbox.createStubInstance(TaskStore);
      store.get.resolves({ record: { ...record, status: 'working', result: undefined } });
      store.liveTask.returns({} as LiveTask);
      const stop = sandbox.stub();
      store.onChange.returns(stop);
      const controller = new AbortController();
      const answer = resolve(TasksResultHandler, store).handle({ taskId: ID }, { ...ctx('handshake'), signal: controller.signal });
      await new Promise((r) => setImmediate(r));
      const reason = new Error('request cancelled');
      controller.abort(reason);
      try {
        await answer;
        expect.fail('should have thrown');
      } catch (err) {
        expect(err).to.equal(reason);
      }
      expect(stop.calledOnce).to.equal(true);
    });
  });
});
