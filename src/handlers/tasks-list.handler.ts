import { InvalidParamsError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';
import { isTaskId } from '../tasks/task-id';
import { TaskListParams } from '../protocol/tasks';
import { handshakeTask } from '../tasks/task-shapes';
import { TaskStore } from '../tasks/task-store';

/** Tasks per `tasks/list` page. */
const PAGE_SIZE = 50;

/** 2025-11-25 `tasks/list`: the tasks stored in this home, a page at a time (removed by the tasks extension). */
@Method(IncomingRequest.tasksList)
export class TasksListHandler implements Handler<TaskListParams> {
  constructor(private readonly store: TaskStore) {}

  async handle(params: TaskListParams): Promise<Record<string, unknown>> {
    if (params.cursor !== undefined && !isTaskId(params.cursor)) throw new InvalidParamsError('Invalid params: cursor is not one this server gave out', ['cursor: unknown cursor']);
    const page = await this.store.list(params.cursor, PAGE_SIZE);
    const out: Record<string, unknown> = { tasks: page.views.map((v) => handshakeTask(v.record)) };
    if (page.nextCursor) out.nextCursor = page.nextCursor;
    return out;
  }
}
