import { expect } from 'chai';
import sinon from 'sinon';
import { TasksCancelHandler } from '../../src/handlers/tasks-cancel.handler';
import { TasksGetHandler } from '../../src/handlers/tasks-get.handler';
import { TasksUpdateHandler } from '../../src/handlers/tasks-update.handler';
import type { RequestContext } from '../../src/router/handler';
import type { OutgoingRequests } from '../../src/router/outgoing-requests';
import type { TaskRecord } from '../../src/tasks/task-record';
import { TaskStore } from '../../src/tasks/task-store';
import { createTestContainer } from '../support/test-container';

const ID = 'ab'.repeat(16);
const TASKS = 'io.modelcontextprotocol/tasks';

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
});
