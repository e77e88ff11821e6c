import type { EventMsg } from '../protocol/events';

/** A short human line for `notifications/progress`, for the events worth telling; undefined for the rest. */
export function progressMessage(msg: EventMsg): string | undefined {
  switch (msg.type) {
    case 'task_started':
      return 'turn started';
    case 'exec_approval_request':
      return `waiting for approval to run ${msg.command.join(' ')}`;
    case 'apply_patch_approval_request':
      return 'waiting for approval to apply a patch';
    case 'exec_command_begin':
      return `running ${msg.command.join(' ')}`;
    case 'exec_command_end':
      return `command finished with exit code ${msg.exit_code}`;
    case 'patch_apply_begin': {
      const files = Object.keys(msg.changes).length;
      return `applying a patch to ${files} file${files === 1 ? '' : 's'}`;
    }
    case 'patch_apply_end':
      return msg.success ? 'patch applied' : 'patch failed';
    case 'agent_message':
      return 'answer complete';
    case 'stream_error':
      return 'model stream failed, retrying';
    case 'task_complete':
      return 'turn complete';
    default:
      return undefined;
  }
}
