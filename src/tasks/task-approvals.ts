import type { ApprovalOutcome } from '../approvals/approval-requests';
import { askClient } from '../approvals/ask-client';
import type { ClientChannel } from '../mcp/client-channel';
import { allowsFormElicitation, DEFAULT_SUSPEND_MS } from '../mcp/mrtr/suspended-runs';
import type { ElicitInputRequest } from '../protocol/mcp-2026';
import { RELATED_TASK_KEY } from './task-shapes';
import { waitingLine, type TaskStore } from './task-store';
import type { CodexElicitationParams } from '../protocol/approvals';
import { OutgoingRequest } from '../protocol/methods';

/** One approval of a task's turn, in the forms both eras ask it in. */
export interface TaskApprovalForms {
  /** Base of the input key (`approval-<callId>`). */
  key: string;
  /** Modern era: the `inputRequests` entry (MCP-2026.md §5.5). */
  input: ElicitInputRequest;
  /** Handshake era: the `elicitation/create` params a plain tool call sends (WIRE.md §8.3). */
  elicitation: CodexElicitationParams;
}

/**
 * How an approval is asked for a turn that runs as a task (APPROVALS.askInTask). Modern era: the task shows
 * `input_required` with the form in `inputRequests`, and `tasks/update` answers it. Handshake era
 * (2025-11-25): the task shows `input_required` while an `elicitation/create` tagged with
 * `related-task` is out to the client, as that revision says.
 */
export class TaskApprovals {
  constructor(
    private readonly store: TaskStore,
    private readonly client: ClientChannel,
  ) {}

  async ask(taskId: string, forms: TaskApprovalForms, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    const task = this.store.liveTask(taskId);
    if (!task) return { decision: 'denied', problem: 'the task this approval belongs to has ended' };
    if (task.record.era === 'modern') {
      const timeoutMs = options.timeoutMs ?? DEFAULT_SUSPEND_MS;
      return this.store.askInput(task, forms.key, forms.input, { timeoutMs, signal: options.signal }, allowsFormElicitation(task.capabilities));
    }
    task.asking++;
    await this.store.setStatus(task, 'input_required', waitingLine(forms.input.params.message));
    try {
      const params = { ...forms.elicitation, _meta: { [RELATED_TASK_KEY]: { taskId } } };
      return await askClient(this.client, OutgoingRequest.elicitationCreate, params, options);
    } finally {
      if (--task.asking === 0) await this.store.setStatus(task, 'working', 'thinking');
    }
  }
}
