import { InvalidParamsError } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';
import { elsewhere, findTask, requireTasksCapability } from '../tasks/task-access';
import { TaskIdParams } from '../protocol/tasks';
import { isTerminal } from '../tasks/task-record';
import { handshakeTask } from '../tasks/task-shapes';
import { TaskStore } from '../tasks/task-store';

/**
 * `tasks/cancel`: interrupts the task's turn, which kills its processes, and answers once they
 * are gone. Modern era: an empty ack (a task already ended stays as it is). 2025-11-25: the task,
 * now `cancelled`; a task already in a terminal status is -32602.
 */
@Method(IncomingRequest.tasksCancel)
export class TasksCancelHandler implements Handler<TaskIdParams> {
  constructor(private readonly store: TaskStore) {}

  async handle(params: TaskIdParams, ctx: RequestContext): Promise<Record<string, unknown>> {
    requireTasksCapability(ctx);
    const modern = ctx.protocol?.era === 'modern';
    const live = this.store.liveTask(params.taskId);
    if (live && !isTerminal(live.record.status)) {
      await this.store.cancel(live);
      return modern ? {} : handshakeTask(live.record);
    }
    const view = await findTask(this.store, params.taskId);
    if (!isTerminal(view.record.status)) throw elsewhere(view);
    if (modern) return {};
    throw new InvalidParamsError(`Invalid params: cannot cancel task ${params.taskId}: it is already ${view.record.status}`, ['taskId: task is in a terminal status']);
  }
}
