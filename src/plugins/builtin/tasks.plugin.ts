import { TasksCancelHandler } from '../../handlers/tasks-cancel.handler';
import { TasksGetHandler } from '../../handlers/tasks-get.handler';
import { TasksListHandler } from '../../handlers/tasks-list.handler';
import { TasksResultHandler } from '../../handlers/tasks-result.handler';
import { TasksUpdateHandler } from '../../handlers/tasks-update.handler';
import { CLIENT } from '../../mcp/client-channel';
import { handshakeTask } from '../../tasks/task-shapes';
import { TASKS } from '../../tasks/task-store';
import type { AgentwirePlugin } from '../plugin';
import { OutgoingNotification } from '../../protocol/methods';

/**
 * Tasks for `codex` and `codex-reply` (issue 13): the `tasks/*` methods of both eras over the one
 * TaskStore, `notifications/tasks/status` for 2025-11-25 clients, the start-up recovery of tasks
 * left running by a process that died, and a close hook that records the running ones as failed.
 */
export const tasksPlugin: AgentwirePlugin = {
  name: 'agentwire:tasks',
  register(ctx) {
    const store = ctx.resolve(TASKS);
    const client = ctx.resolve(CLIENT);
    ctx.handler(TasksGetHandler);
    ctx.handler(TasksUpdateHandler);
    ctx.handler(TasksCancelHandler);
    ctx.handler(TasksResultHandler);
    ctx.handler(TasksListHandler);
    // 2025-11-25: status changes of the tasks this client created (optional there, cheap here).
    const stop = store.onChange((view) => {
      if (view.record.era === 'handshake' && client.initialized) client.notify(OutgoingNotification.taskStatus, handshakeTask(view.record));
    });
    // In the background: start-up does not wait for a scan of the tasks folder.
    const recovery = setImmediate(() => void store.recover());
    ctx.onClose(async () => {
      clearImmediate(recovery);
      stop();
      await store.close();
    });
  },
};
