import type { SubscriptionsAcknowledgedParams, SubscriptionsListenParams } from '../protocol/mcp-2026';
import { MetaKey } from '../protocol/mcp-2026-names';
import { ListenSources } from '../mcp/listen-sources';
import { ToolRegistry } from '../mcp/tool-registry';
import { requireTasksCapability } from '../tasks/task-access';
import { isTaskId } from '../tasks/task-id';
import { modernDetailedTask } from '../tasks/task-shapes';
import { TaskStore } from '../tasks/task-store';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest, OutgoingNotification } from '../protocol/methods';

/** The most tasks one listen stream follows; further ids are not honoured (the ack says which are). */
export const MAX_LISTEN_TASKS = 1000;

/**
 * `subscriptions/listen` (MCP 2026-07-28, `subscriptions.mdx`): acknowledges the honoured part of
 * the filter (`toolsListChanged`, and what plugins' ListenSources honour: `resourcesListChanged`
 * and `resourceSubscriptions` of the resources plugin; agentwire has no prompts), then sends
 * `notifications/tools/list_changed` whenever a plugin adds a tool, and the sources' notifications,
 * each tagged with the listen request's id. It has no response while open: the client's `notifications/cancelled` ends it
 * (the router then sends nothing more for it), and so does shutdown.
 */
@Method(IncomingRequest.subscriptionsListen)
export class SubscriptionsListenHandler implements Handler<SubscriptionsListenParams> {
  constructor(
    private readonly tools: ToolRegistry,
    private readonly tasks: TaskStore,
    private readonly sources: ListenSources,
  ) {}

  async handle(params: SubscriptionsListenParams, ctx: RequestContext) {
    const subscriptionId = ctx.id!;
    const tag = { [MetaKey.SubscriptionId]: subscriptionId };
    const tools = params.notifications.toolsListChanged === true ? { toolsListChanged: true } : {};
    // The tasks extension: `notifications/tasks` for the named tasks that exist (and need its capability).
    const taskIds = new Set<string>();
    if (params.notifications.taskIds !== undefined) {
      requireTasksCapability(ctx);
      // At most MAX_LISTEN_TASKS per stream: each id costs a file read here and a listener check later.
      for (const id of params.notifications.taskIds.filter(isTaskId).slice(0, MAX_LISTEN_TASKS)) if (await this.tasks.get(id)) taskIds.add(id);
    }
    // Plugins' sources (resources) are opened before the ack but send nothing until it is out.
    let acknowledged = false;
    const opened = this.sources.open(params.notifications, (spec, p) => {
      if (acknowledged) ctx.outgoing.notify(spec, { ...p, _meta: tag });
    });
    const honoured: SubscriptionsAcknowledgedParams['notifications'] = { ...tools, ...opened.honoured };
    if (params.notifications.taskIds !== undefined) honoured.taskIds = [...taskIds];
    const ack: SubscriptionsAcknowledgedParams = { _meta: tag, notifications: honoured };
    ctx.outgoing.notify(OutgoingNotification.subscriptionsAcknowledged, ack);
    acknowledged = true;
    const stopTools = tools.toolsListChanged ? this.tools.onChange(() => ctx.outgoing.notify(OutgoingNotification.toolsListChanged, { _meta: tag })) : () => undefined;
    const sendTask = (view: Parameters<typeof modernDetailedTask>[0]) => ctx.outgoing.notify(OutgoingNotification.tasks, { ...modernDetailedTask(view), _meta: tag });
    const stopTasks = taskIds.size > 0 ? this.tasks.onChange((view) => taskIds.has(view.record.taskId) && sendTask(view)) : () => undefined;
    // Each named task's state now, so a change made before the stream opened is not missed.
    for (const id of taskIds) {
      const view = await this.tasks.get(id);
      if (view) sendTask(view);
    }
    const stop = () => {
      stopTools();
      stopTasks();
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
