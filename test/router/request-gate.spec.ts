import { expect } from 'chai';
import { JsonRpcRouter } from '../../src/router/json-rpc-router';
import { MemoryTransport } from '../support/memory-transport';
import { createTestContainer } from '../support/test-container';

const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

/** The router with the container's EraGate: what a modern connection may not send never reaches the transport. */
describe('JsonRpcRouter with the EraGate', () => {
  let router: JsonRpcRouter;
  let transport: MemoryTransport;

  beforeEach(async () => {
    router = createTestContainer().resolve(JsonRpcRouter);
    transport = new MemoryTransport();
    router.connect(transport, () => undefined);
    // Lock the modern era (the method is not registered here, so the answer is -32601).
    transport.deliver({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: modernMeta } });
    expect((await transport.next((m) => m.id === 1)).error.code).to.equal(-32601);
  });

  it('fails a server-to-client request at once instead of sending it', async () => {
    const outcome = await router.outgoing.request('elicitation/create', { message: 'ok?' }, { timeoutMs: 5000 }).then(
      () => 'resolved',
      (err: Error) => err.name,
    );
    expect(outcome).to.equal('PeerError');
    expect(transport.sent.some((m: Record<string, unknown>) => m.method === 'elicitation/create')).to.equal(false);
  });

  it('drops an unsolicited notification but lets progress through', async () => {
    router.outgoing.notify('codex/event', { msg: { type: 'x' } });
    router.outgoing.notify('notifications/progress', { progressToken: 1, progress: 1 });
    await transport.next((m) => m.method === 'notifications/progress');
    expect(transport.sent.some((m: Record<string, unknown>) => m.method === 'codex/event')).to.equal(false);
  });
});
