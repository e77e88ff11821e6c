import { ModernErrorCode } from '../protocol/mcp-2026-names';
import { AgentwireError, InvalidParamsError } from '../router/errors';
import type { RequestContext } from '../router/handler';
import { isTaskId } from './task-id';
import { declaresTasks, TASKS_EXTENSION } from './task-shapes';
import type { TaskStore, TaskView } from './task-store';

/** Modern era: `tasks/*` need the tasks extension in this request's capabilities (-32021 otherwise). */
export function requireTasksCapability(ctx: RequestContext): void {
  if (ctx.protocol?.era !== 'modern' || declaresTasks(ctx.protocol.clientCapabilities)) return;
  throw new AgentwireError(ModernErrorCode.MissingRequiredClientCapability, `${ctx.method} requires the ${TASKS_EXTENSION} extension capability`, {
    requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
  });
}

export function unknownTask(taskId: string): InvalidParamsError {
  return new InvalidParamsError(`Invalid params: unknown or expired task ${JSON.stringify(taskId.slice(0, 64))}`, ['taskId: no such task']);
}

/**
 * A task that is still running but not in this process (two servers share one home): it can be
 * read here, but answered, cancelled or waited for only where it runs. -32602, saying where.
 */
export function elsewhere(view: TaskView): InvalidParamsError {
  return new InvalidParamsError(
    `Invalid params: task ${view.record.taskId} runs in another agentwire process (pid ${view.record.owner.pid}); only that process can answer, cancel or finish it`,
    ['taskId: runs in another process'],
  );
}

/** The task a request names, or -32602 (an id that is not one of ours never reaches the file system). */
export async function findTask(store: TaskStore, taskId: string): Promise<TaskView> {
  const view = isTaskId(taskId) ? await store.get(taskId) : undefined;
  if (!view) throw unknownTask(taskId);
  return view;
}
