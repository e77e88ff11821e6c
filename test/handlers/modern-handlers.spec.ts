import { expect } from 'chai';
import sinon from 'sinon';
import { ServerDiscoverHandler } from '../../src/handlers/server-discover.handler';
import { SubscriptionsListenHandler } from '../../src/handlers/subscriptions-listen.handler';
import { ToolRegistry } from '../../src/mcp/tool-registry';
import { ALL_PROTOCOL_VERSIONS, MetaKey } from '../../src/protocol/mcp-2026';
import { OutgoingNotification } from '../../src/protocol/methods';
import { OutgoingRequests } from '../../src/router/outgoing-requests';
import { createTestContainer } from '../support/test-container';
import { requestContext } from './request-context';

describe('MCP 2026-07-28 handlers (child container, stubbed services)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('server/discover answers every version, tools with listChanged, and instructions', () => {
    const handler = createTestContainer().createChildContainer().resolve(ServerDiscoverHandler);
    const result = handler.handle();
    expect(result.resultType).to.equal('complete');
    expect(result.supportedVersions).to.deep.equal([...ALL_PROTOCOL_VERSIONS]);
    expect(result.capabilities).to.deep.equal({
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      extensions: { 'io.modelcontextprotocol/tasks': {} },
    });
    expect(result.instructions).to.be.a('string').and.contain('codex');
  });

  describe('subscriptions/listen', () => {
    const setUp = () => {
      const tools = sandbox.createStubInstance(ToolRegistry);
      let changed: (() => void) | undefined;
      const stop = sandbox.stub();
      tools.onChange.callsFake((fn: () => void) => {
        changed = fn;
        return stop;
      });
      const root = createTestContainer({ overrides: (c) => c.registerInstance(ToolRegistry, tools) });
      const outgoing = sandbox.createStubInstance(OutgoingRequests);
      const controller = new AbortController();
      const ctx = requestContext({ id: 42, signal: controller.signal, outgoing: outgoing as unknown as OutgoingRequests });
      const handler = root.createChildContainer().resolve(SubscriptionsListenHandler);
      return { tools, outgoing, controller, ctx, handler, stop, fire: () => changed?.() };
    };

    it('acknowledges toolsListChanged, forwards each tool change tagged with the request id, and stops on cancel', async () => {
      const { outgoing, controller, ctx, handler, stop, fire } = setUp();
      const open = handler.handle({ notifications: { toolsListChanged: true } }, ctx);
      const tag = { [MetaKey.SubscriptionId]: 42 };
      expect(outgoing.notify.firstCall.args).to.deep.equal([OutgoingNotification.subscriptionsAcknowledged, { _meta: tag, notifications: { toolsListChanged: true } }]);
      fire();
      expect(outgoing.notify.secondCall.args).to.deep.equal([OutgoingNotification.toolsListChanged, { _meta: tag }]);
      controller.abort();
      expect(await open).to.deep.equal({ _meta: tag });
      expect(stop.calledOnce).to.equal(true);
    });

    it('honours nothing else: an empty acknowledgement and no tool listener', async () => {
      const { tools, outgoing, controller, ctx, handler } = setUp();
      controller.abort();
      await handler.handle({ notifications: { promptsListChanged: true } }, ctx);
      expect(outgoing.notify.firstCall.args[1]).to.deep.include({ notifications: {} });
      expect(tools.onChange.called).to.equal(false);
    });
  });
});
