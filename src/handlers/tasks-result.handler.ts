import { AgentwireError, ErrorCode } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import type { CallToolResult } from '../protocol/mcp';
import { IncomingRequest } from '../protocol/methods';
import { elsewhere, findTask } from '../tasks/task-access';
import { TaskIdParams } from '../protocol/tasks';
import { isTerminal } from '../tasks/task-record';
import { RELATED_TASK_KEY } from '../tasks/task-shapes';
import { TaskStore, type TaskView } from '../tasks/task-store';

/**
 * 2025-11-25 `tasks/result`: waits until the task is terminal, then answers exactly what the
 * `tools/call` would have (its result, or its JSON-RPC error), tagged with `related-task`. The
 * tasks extension removed it (the EraGate answers it with -32601 in the modern era).
 */
@Method(IncomingRequest.tasksResult)
export class TasksResultHandler implements Handler<TaskIdParams> {
  constructor(private readonly store: TaskStore) {}

  async handle(params: TaskIdParams, ctx: RequestContext): Promise<CallToolResult> {
    let view = await findTask(this.store, params.taskId);
    if (!isTerminal(view.record.status)) {
      // Only this process hears of the end of its own tasks.
      if (!this.store.liveTask(params.taskId)) throw elsewhere(view);
      view = await this.untilTerminal(params.taskId, ctx.signal);
    }
    const { record } = view;
    const related = { [RELATED_TASK_KEY]: { taskId: record.taskId } };
    if (record.status === 'completed' && record.result) return { ...record.result, _meta: { ...record.result._meta, ...related } };
    if (record.status === 'failed' && record.error) throw new AgentwireError(record.error.code, record.error.message, record.error.data);
    throw new AgentwireError(ErrorCode.InternalError, `task ${record.taskId} was cancelled`, related);
  }

  private untilTerminal(taskId: string, signal: AbortSignal): Promise<TaskView> {
    return new Promise((resolve, reject) => {
      const stop = this.store.onChange((view) => {
        if (view.record.taskId !== taskId || !isTerminal(view.record.status)) return;
        finish();
        resolve(view);
      });
      const onAbort = () => {
        finish();
        reject(signal.reason);
      };
      const finish = () => {
        stop();
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // It may have ended between the read and the subscription.
      void this.store.get(taskId).then((view) => {
        if (view && isTerminal(view.record.status)) {
          finish();
          resolve(view);
        }
      });
    });
  }
}
