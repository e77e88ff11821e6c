import { MetaKey, ModernMethod, ModernNotification, SubscriptionsListenParams, type SubscriptionsAcknowledgedParams } from '../protocol/mcp-2026';
import { ToolRegistry } from '../mcp/tool-registry';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';

/**
 * `subscriptions/listen` (MCP 2026-07-28, `subscriptions.mdx`): acknowledges the honoured part of
 * the filter (only `toolsListChanged`: agentwire has no prompts or resources), then sends
 * `notifications/tools/list_changed` whenever a plugin adds a tool, each tagged with the listen
 * request's id. It has no response while open: the client's `notifications/cancelled` ends it
 * (the router then sends nothing more for it), and so does shutdown.
 */
@Method(ModernMethod.SubscriptionsListen, { params: SubscriptionsListenParams, paramsRequired: true, longLived: true })
export class SubscriptionsListenHandler implements Handler<SubscriptionsListenParams> {
  constructor(private readonly tools: ToolRegistry) {}

  async handle(params: SubscriptionsListenParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    const subscriptionId = ctx.id!;
    const tag = { [MetaKey.SubscriptionId]: subscriptionId };
    const honoured = params.notifications.toolsListChanged === true ? { toolsListChanged: true } : {};
    const ack: SubscriptionsAcknowledgedParams = { _meta: tag, notifications: honoured };
    ctx.outgoing.notify(ModernNotification.SubscriptionsAcknowledged, ack);
    const stop = honoured.toolsListChanged ? this.tools.onChange(() => ctx.outgoing.notify(ModernNotification.ToolsListChanged, { _meta: tag })) : () => undefined;
    try {
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      stop();
    }
    // Only reached once cancelled or shutting down: the router drops a cancelled request's reply.
    return { _meta: tag };
  }
}
