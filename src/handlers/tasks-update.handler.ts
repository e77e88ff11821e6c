import { MethodNotFoundError } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';
import { elsewhere, findTask, requireTasksCapability } from '../tasks/task-access';
import { isTerminal } from '../tasks/task-record';
import { TaskUpdateParams } from '../protocol/tasks';
import { TaskStore } from '../tasks/task-store';

/**
 * `tasks/update` (tasks extension only): answers the task's pending approvals. An empty ack;
 * unknown or already answered keys are ignored, and a partial set leaves the task input_required.
 */
@Method(IncomingRequest.tasksUpdate)
export class TasksUpdateHandler implements Handler<TaskUpdateParams> {
  constructor(private readonly store: TaskStore) {}

  async handle(params: TaskUpdateParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    if (ctx.protocol?.era !== 'modern') throw new MethodNotFoundError('tasks/update (a method of the 2026-07-28 tasks extension)');
    requireTasksCapability(ctx);
    const live = this.store.liveTask(params.taskId);
    if (live) this.store.answer(live, params.inputResponses);
    else {
      const view = await findTask(this.store, params.taskId);
      if (!isTerminal(view.record.status)) throw elsewhere(view);
    }
    return {};
  }
}
