import { expect } from 'chai';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { inject, Lifecycle } from 'tsyringe';
import { InvalidRequestError } from '../../src/router/errors';
import type { Handler, HandlerClass, RequestContext } from '../../src/router/handler';
import { DuplicateMethodError, JsonRpcRouter } from '../../src/router/json-rpc-router';
import { Method, Notification, readMethodMetadata } from '../../src/router/method.decorator';
import { request } from '../../src/protocol/spec';
import { REQUEST_CONTEXT } from '../../src/tokens';
import { IsInt, IsOptional, IsString, ValidateNested } from '../../src/validation/class-validator';
import { Type } from 'class-transformer';
import { MemoryTransport } from '../support/memory-transport';
import { createTestContainer } from '../support/test-container';

/** A service handlers depend on; tests replace it with a sinon stub. */
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

class Inner {
  @IsInt() count!: number;
}

class GreetParams {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
}

@Method('test/greet', { params: GreetParams, paramsRequired: true })
class GreetHandler implements Handler<GreetParams> {
  constructor(
    private readonly greeter: Greeter,
    @inject(REQUEST_CONTEXT) private readonly ctx: RequestContext,
  ) {}

  handle(params: GreetParams) {
    return { text: this.greeter.greet(params.name), id: this.ctx.id, keys: Object.keys(params) };
  }
}

@Method('test/fail')
class FailingHandler implements Handler {
  handle(): never {
    throw new Error('database password is hunter2');
  }
}

@Method('test/refuse')
class RefusingHandler implements Handler {
  handle(): never {
    throw new InvalidRequestError('conversation not found: 123');
  }
}

@Method('test/wait')
class WaitingHandler implements Handler {
  handle(_: unknown, ctx: RequestContext) {
    return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ aborted: true })));
  }
}

@Notification('test/note')
class NoteHandler implements Handler {
  static seen: unknown[] = [];
  handle(params: unknown) {
    NoteHandler.seen.push(params);
  }
}

describe('JsonRpcRouter', () => {
  let container: DependencyContainer;
  let router: JsonRpcRouter;
  let transport: MemoryTransport;
  let greeter: sinon.SinonStubbedInstance<Greeter>;
  const sandbox = sinon.createSandbox();

  beforeEach(() => {
    greeter = sandbox.createStubInstance(Greeter);
    greeter.greet.callsFake((name: string) => `stubbed ${name}`);
    container = createTestContainer({ overrides: (c) => c.registerInstance(Greeter, greeter) });
    router = container.resolve(JsonRpcRouter);
    for (const cls of [GreetHandler, FailingHandler, RefusingHandler, WaitingHandler, NoteHandler] as HandlerClass[]) {
      router.add({ meta: readMethodMetadata(cls)!, owner: 'test', create: (c) => c.resolve(cls) });
    }
    transport = new MemoryTransport();
    router.connect(transport, () => undefined);
    NoteHandler.seen = [];
  });

  afterEach(() => sandbox.restore());

  describe('#add', () => {
    it('refuses a second handler for the same method, naming both owners', () => {
      expect(() => router.add({ meta: { name: 'test/greet' }, owner: 'other', create: () => new FailingHandler() }))
        .to.throw(DuplicateMethodError)
        .with.property('message', 'method test/greet is registered by both test and other');
    });
  });

  describe('dispatch', () => {
    it('resolves the handler from a child container with the stubbed service and the request context', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 1, method: 'test/greet', params: { name: 'Ada' } });
      const reply = await transport.reply(1);
      expect(reply.result).to.deep.equal({ text: 'stubbed Ada', id: 1, keys: ['name'] });
      expect(greeter.greet.calledOnceWith('Ada')).to.equal(true);
    });

    it('gives each request its own request context and container-scoped instances, also after many requests', async () => {
      let made = 0;
      class ScopedCounter {
        readonly n = ++made;
      }
      @Method('test/scoped')
      class ScopedHandler implements Handler {
        constructor(
          private readonly scoped: ScopedCounter,
          @inject(REQUEST_CONTEXT) private readonly ctx: RequestContext,
        ) {}
        handle() {
          return { id: this.ctx.id, counter: this.scoped.n };
        }
      }
      container.register(ScopedCounter, { useClass: ScopedCounter }, { lifecycle: Lifecycle.ContainerScoped });
      router.add({ meta: readMethodMetadata(ScopedHandler)!, owner: 'test', create: (c) => c.resolve(ScopedHandler) });
      for (const id of [11, 12, 13]) transport.deliver({ jsonrpc: '2.0', id, method: 'test/scoped' });
      const replies = await Promise.all([11, 12, 13].map((id) => transport.reply(id)));
      expect(replies.map((r) => r.result.id)).to.deep.equal([11, 12, 13]);
      expect(new Set(replies.map((r) => r.result.counter)).size).to.equal(3);
    });

    it("resolves a declaration's deferred params class at its method's first request, not when the handler is declared", async () => {
      let resolved = 0;
      const spec = request({
        name: 'test/deferred',
        direction: 'incoming',
        eras: ['codex'],
        group: 'test',
        description: 'a method whose params class is named through an arrow function',
        params: () => (resolved++, GreetParams),
        result: class DeferredResult {},
      });
      @Method(spec)
      class DeferredHandler implements Handler<GreetParams> {
        handle(params: GreetParams) {
          return { name: params.name, isInstance: params instanceof GreetParams };
        }
      }
      router.add({ meta: readMethodMetadata(DeferredHandler)!, owner: 'test', create: (c) => c.resolve(DeferredHandler) });
      expect(resolved).to.equal(0);
      transport.deliver({ jsonrpc: '2.0', id: 21, method: 'test/deferred', params: { name: 'Ada' } });
      expect((await transport.reply(21)).result).to.deep.equal({ name: 'Ada', isInstance: true });
      transport.deliver({ jsonrpc: '2.0', id: 22, method: 'test/deferred', params: { name: 7 } });
      expect((await transport.reply(22)).error.code).to.equal(-32602);
      expect(resolved).to.equal(1);
      // Once resolved it is the plain data property it was before, which a plugin may still assign.
      expect(Object.getOwnPropertyDescriptor(readMethodMetadata(DeferredHandler), 'params')).to.include({ value: GreetParams, writable: true });
    });

    it('strips unknown members and _meta before validation', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 2, method: 'test/greet', params: { name: 'x', extra: 1, _meta: { progressToken: 5 } } });
      expect((await transport.reply(2)).result.keys).to.deep.equal(['name']);
    });

    it('answers -32602 naming nested fields', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 3, method: 'test/greet', params: { name: 1, inner: { count: 'x' } } });
      const reply = await transport.reply(3);
      expect(reply.error.code).to.equal(-32602);
      expect(reply.error.data.errors).to.deep.equal(['name: must be a string', 'inner.count: must be an integer number']);
      expect(reply.error.message).to.contain('name: must be a string');
    });

    it('answers -32602 when required params are missing', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 4, method: 'test/greet' });
      expect((await transport.reply(4)).error.code).to.equal(-32602);
    });

    it('answers -32602 when params are an array for a params class', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 5, method: 'test/greet', params: ['Ada'] });
      expect((await transport.reply(5)).error.code).to.equal(-32602);
    });

    it('ignores __proto__ in params', async () => {
      transport.deliver('{"jsonrpc":"2.0","id":6,"method":"test/greet","params":{"name":"x","__proto__":{"polluted":true}}}');
      const reply = await transport.reply(6);
      expect(reply.result.text).to.equal('stubbed x');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('maps an unexpected throw to -32603 without its message', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 7, method: 'test/fail' });
      expect((await transport.reply(7)).error).to.deep.equal({ code: -32603, message: 'Internal error' });
    });

    it('keeps the code and message of typed errors', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 8, method: 'test/refuse' });
      expect((await transport.reply(8)).error).to.deep.equal({ code: -32600, message: 'conversation not found: 123' });
    });

    it('answers an unknown method with -32601', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 9, method: 'test/none' });
      expect((await transport.reply(9)).error).to.deep.equal({ code: -32601, message: 'Method not found: test/none' });
    });

    it('answers a parse error with id null', async () => {
      transport.deliver('{nope');
      expect(await transport.reply(null)).to.deep.equal({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    });

    it('answers an unreadable line with a parse error', async () => {
      transport.deliverUnreadable();
      expect((await transport.reply(null)).error.code).to.equal(-32700);
    });
  });

  describe('notifications', () => {
    it('runs the handler and never replies', async () => {
      transport.deliver({ jsonrpc: '2.0', method: 'test/note', params: { a: 1 } });
      transport.deliver({ jsonrpc: '2.0', id: 'after', method: 'test/greet', params: { name: 'x' } });
      await transport.reply('after');
      expect(NoteHandler.seen).to.deep.equal([{ a: 1 }]);
      expect(transport.sent).to.have.length(1);
    });

    it('ignores a notification whose params nest deeper than the limit, without running its handler', async () => {
      transport.deliver(`{"jsonrpc":"2.0","method":"test/note","params":{"deep":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`);
      transport.deliver({ jsonrpc: '2.0', id: 'after', method: 'test/greet', params: { name: 'x' } });
      await transport.reply('after');
      expect(NoteHandler.seen).to.deep.equal([]);
      expect(transport.sent).to.have.length(1);
    });

    it('drops a notification whose jsonrpc member is wrong', async () => {
      transport.deliver({ jsonrpc: '1.0', method: 'test/note', params: {} });
      transport.deliver({ jsonrpc: '2.0', id: 'after', method: 'test/greet', params: { name: 'x' } });
      await transport.reply('after');
      expect(NoteHandler.seen).to.deep.equal([]);
    });
  });

  describe('cancellation', () => {
    it('aborts the named request and sends no reply for it', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 10, method: 'test/wait' });
      transport.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 10, reason: 'user' } });
      expect(await router.drain(1000)).to.equal(true);
      expect(transport.sent.filter((m) => m.id === 10)).to.deep.equal([]);
    });

    it('treats request id 0 like any other', async () => {
      transport.deliver({ jsonrpc: '2.0', id: 0, method: 'test/wait' });
      transport.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 0 } });
      expect(await router.drain(1000)).to.equal(true);
      expect(transport.sent.filter((m) => m.id === 0)).to.deep.equal([]);
    });

    it('aborts everything in flight on close', async () => {
      const seen: boolean[] = [];
      transport.deliver({ jsonrpc: '2.0', id: 11, method: 'test/wait' });
      const done = router.drain(1000).then((ok) => seen.push(ok));
      router.close('stdin closed');
      await done;
      expect(seen).to.deep.equal([true]);
    });
  });

  describe('ordering', () => {
    it('finishes an ordered request before dispatching the next message', async () => {
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      router.add({
        meta: { name: 'test/ordered', ordered: true },
        owner: 'test',
        create: () => ({
          handle: async () => {
            order.push('ordered:start');
            await gate;
            order.push('ordered:end');
            return {};
          },
        }),
      });
      router.add({
        meta: { name: 'test/quick' },
        owner: 'test',
        create: () => ({
          handle: () => {
            order.push('quick');
            return {};
          },
        }),
      });
      transport.deliver({ jsonrpc: '2.0', id: 'o', method: 'test/ordered' });
      transport.deliver({ jsonrpc: '2.0', id: 'q', method: 'test/quick' });
      await new Promise((r) => setImmediate(r));
      expect(order).to.deep.equal(['ordered:start']);
      release();
      await transport.reply('q');
      expect(order).to.deep.equal(['ordered:start', 'ordered:end', 'quick']);
    });
  });

  it('holds input while the backlog behind an ordered request is long, and releases it once that has run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    router.add({
      meta: { name: 'test/ordered', ordered: true },
      owner: 'test',
      create: () => ({
        handle: async () => {
          await gate;
          return {};
        },
      }),
    });
    router.add({ meta: { name: 'test/quick' }, owner: 'test', create: () => ({ handle: () => ({}) }) });
    transport.deliver({ jsonrpc: '2.0', id: 'o', method: 'test/ordered' });
    for (let i = 0; i < 1100; i++) transport.deliver({ jsonrpc: '2.0', id: i, method: 'test/quick' });
    expect(transport.held).to.equal(true);
    release();
    await transport.reply(1099);
    expect(transport.held).to.equal(false);
  });

  describe('server → client requests', () => {
    it('numbers requests from 0 and resolves with the client result', async () => {
      const pending = router.outgoing.request('elicitation/create', { message: 'ok?' });
      const sent = await transport.next((m) => m.method === 'elicitation/create');
      expect(sent.id).to.equal(0);
      transport.deliver({ jsonrpc: '2.0', id: 0, result: { action: 'accept' } });
      expect(await pending).to.deep.equal({ action: 'accept' });
    });

    it('accepts a reply without a jsonrpc member', async () => {
      const pending = router.outgoing.request('x/y', {});
      const sent = await transport.next((m) => m.method === 'x/y');
      transport.deliver({ id: sent.id, result: 7 });
      expect(await pending).to.equal(7);
    });

    it('rejects instead of resolving with a reply nested deeper than the limit', async () => {
      const pending = router.outgoing.request('x/deep', {});
      const sent = await transport.next((m) => m.method === 'x/deep');
      transport.deliver(`{"jsonrpc":"2.0","id":${sent.id},"result":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      await pending.then(
        () => expect.fail('should reject'),
        (err: Error) => expect([err.name, err.message]).to.deep.equal(['PeerError', 'reply nested too deep (limit 256 levels)']),
      );
    });

    it('rejects with a local PeerError on an error reply', async () => {
      const pending = router.outgoing.request('x/err', {});
      const sent = await transport.next((m) => m.method === 'x/err');
      transport.deliver({ jsonrpc: '2.0', id: sent.id, error: { code: -1, message: 'no' } });
      await pending.then(
        () => expect.fail('should reject'),
        (err: Error) => expect(err.name).to.equal('PeerError'),
      );
    });

    it('times out', async () => {
      const clock = sandbox.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const pending = router.outgoing.request('x/slow', {}, { timeoutMs: 50 });
      clock.tick(60);
      await pending.then(
        () => expect.fail('should reject'),
        (err: Error) => expect(err.name).to.equal('RequestTimeoutError'),
      );
    });

    it('stops waiting when its signal aborts', async () => {
      const controller = new AbortController();
      const pending = router.outgoing.request('x/abort', {}, { signal: controller.signal });
      controller.abort();
      await pending.then(
        () => expect.fail('should reject'),
        (err: Error) => expect(err.name).to.equal('RequestAbortedError'),
      );
    });

    it('fails pending requests when the router closes', async () => {
      const pending = router.outgoing.request('x/pending', {});
      router.close('gone');
      await pending.then(
        () => expect.fail('should reject'),
        (err: Error) => expect(err.name).to.equal('TransportClosedError'),
      );
    });
  });
});
