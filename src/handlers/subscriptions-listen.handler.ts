import { MetaKey, ModernMethod, ModernNotification, SubscriptionsListenParams, type SubscriptionsAcknowledgedParams } from '../protocol/mcp-2026';
import { ListenSources } from '../mcp/listen-sources';
import { ToolRegistry } from '../mcp/tool-registry';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';

/**
 * `subscriptions/listen` (MCP 2026-07-28, `subscriptions.mdx`): acknowledges the honoured part of
 * the filter (`toolsListChanged`, and what plugins' ListenSources honour: `resourcesListChanged`
 * and `resourceSubscriptions` of the resources plugin; agentwire has no prompts), then sends
 * `notifications/tools/list_changed` whenever a plugin adds a tool, and the sources' notifications,
 * each tagged with the listen request's id. It has no response while open: the client's `notifications/cancelled` ends it
 * (the router then sends nothing more for it), and so does shutdown.
 */
@Method(ModernMethod.SubscriptionsListen, { params: SubscriptionsListenParams, paramsRequired: true, longLived: true })
export class SubscriptionsListenHandler implements Handler<SubscriptionsListenParams> {
  constructor(
    private readonly tools: ToolRegistry,
    private readonly sources: ListenSources,
  ) {}

  async handle(params: SubscriptionsListenParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    const subscriptionId = ctx.id!;
    const tag = { [MetaKey.SubscriptionId]: subscriptionId };
    const tools = params.notifications.toolsListChanged === true ? { toolsListChanged: true } : {};
    // Plugins' sources (resources) are opened before the ack but send nothing until it is out.
    let acknowledged = false;
    const opened = this.sources.open(params.notifications, (method, p) => {
      if (acknowledged) ctx.outgoing.notify(method, { ...p, _meta: tag });
    });
    const ack: SubscriptionsAcknowledgedParams = { _meta: tag, notifications: { ...tools, ...opened.honoured } };
    ctx.outgoing.notify(ModernNotification.SubscriptionsAcknowledged, ack);
    acknowledged = true;
    const stopTools = tools.toolsListChanged ? this.tools.onChange(() => ctx.outgoing.notify(ModernNotification.ToolsListChanged, { _meta: tag })) : () => undefined;
    const stop = () => {
      stopTools();
      opened.stop();
    };
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
