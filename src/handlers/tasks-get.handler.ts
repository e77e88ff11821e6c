import { findTask, requireTasksCapability } from '../tasks/task-access';
import { TaskIdParams } from '../protocol/tasks';
import { handshakeTask, modernDetailedTask } from '../tasks/task-shapes';
import { TaskStore } from '../tasks/task-store';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/**
 * `tasks/get` in both eras: the modern `DetailedTask` (inputs, result or error inline) or the
 * 2025-11-25 `Task`. A task of a process that is gone reads as failed, never as working.
 */
@Method(IncomingRequest.tasksGet)
export class TasksGetHandler implements Handler<TaskIdParams> {
  constructor(private readonly store: TaskStore) {}

  async handle(params: TaskIdParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    requireTasksCapability(ctx);
    const view = await findTask(this.store, params.taskId);
    return ctx.protocol?.era === 'modern' ? { resultType: 'complete', ...modernDetailedTask(view) } : handshakeTask(view.record);
  }
}
