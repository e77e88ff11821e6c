import { expect } from 'chai';
import sinon from 'sinon';
import { AuthManager } from '../../src/auth/auth-manager';
import type { ProviderInfo } from '../../src/config/provider-info';
import { MODEL_STREAM_OUTPUT_BYTES, ModelGateway } from '../../src/conversations/model-gateway';
import type { ModelClient } from '../../src/model/model-client';
import type { ModelEvent, ModelRequest } from '../../src/model/model-events';
import { ModelProviderRegistry } from '../../src/model/model-providers';
import { untilAborted } from '../../src/model/sse';
import { JsonRpcRouter } from '../../src/router/json-rpc-router';
import { RuntimeTuning } from '../../src/runtime/runtime-tuning';

describe('ModelGateway: the model stream waits for the client to read', () => {
  const provider = { id: 'in-process' } as ProviderInfo;
  const req = {} as ModelRequest;
  let router: sinon.SinonStubbedInstance<JsonRpcRouter>;
  let pulled: number;
  let gateway: ModelGateway;

  beforeEach(() => {
    router = sinon.createStubInstance(JsonRpcRouter);
    pulled = 0;
    const registry = new ModelProviderRegistry();
    registry.add(
      provider.id,
      () => ({
        async *stream(): AsyncGenerator<ModelEvent[]> {
          for (let i = 0; i < 3; i++) {
            pulled++;
            yield [{ type: 'text_delta', delta: String(i) }];
          }
        },
      }),
      'test',
    );
    gateway = new ModelGateway(sinon.createStubInstance(AuthManager), registry, () => ({}) as ModelClient, router, sinon.createStubInstance(RuntimeTuning));
  });

  it('asks the model for the next batch only once the output of the last is below the bound', async () => {
    let open!: () => void;
    router.whenOutputBelow.onFirstCall().returns(new Promise<void>((resolve) => (open = resolve)));
    router.whenOutputBelow.returns(undefined);
    const it = gateway.stream(req, provider, new AbortController().signal, () => undefined)[Symbol.asyncIterator]();
    expect((await it.next()).value).to.deep.equal([{ type: 'text_delta', delta: '0' }]);
    const next = it.next();
    await new Promise((r) => setImmediate(r));
    expect(pulled, 'the second batch is not read while output waits').to.equal(1);
    expect(router.whenOutputBelow.firstCall.args[0]).to.equal(MODEL_STREAM_OUTPUT_BYTES);
    open();
    expect((await next).value).to.deep.equal([{ type: 'text_delta', delta: '1' }]);
    expect(pulled).to.equal(2);
  });

  it('ends the wait with the abort reason when the turn is interrupted (the wait is given the turn signal)', async () => {
    // As StdioTransport: the wait ends only when its signal aborts.
    router.whenOutputBelow.callsFake((_bytes: number, signal?: AbortSignal) => untilAborted(new Promise<void>(() => undefined), signal!));
    const abort = new AbortController();
    const it = gateway.stream(req, provider, abort.signal, () => undefined)[Symbol.asyncIterator]();
    await it.next();
    const next = it.next();
    const reason = new Error('interrupted');
    abort.abort(reason);
    const err = await next.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.equal(reason);
  });
});
