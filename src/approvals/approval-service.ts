import { inject, injectable, type InjectionToken } from 'tsyringe';
import { CLIENT, type ClientChannel } from '../mcp/client-channel';
import { SuspendedRuns } from '../mcp/mrtr/suspended-runs';
import type { ElicitInputRequest } from '../protocol/mcp-2026';
import { TaskApprovals, type TaskApprovalForms } from '../tasks/task-approvals';
import type { ApprovalOutcome } from './approval-requests';
import { askClient } from './ask-client';
import type { RequestSpec } from '../protocol/spec';

/**
 * Asking the client for an approval (the APPROVALS token): what the approval plugins, built-in or
 * not, use to put one question to the client and get a decision back that fails closed. A turn
 * started by a handshake-era request asks with `ask` (a request to the client); a turn that runs
 * as a modern-era tool call (its origin has a `runId`) asks with `askInRun`, because MCP
 * 2026-07-28 has no server-to-client requests; a turn that runs as a task (its origin has a
 * `taskId`, either era) asks with `askInTask`, so the task shows `input_required` meanwhile.
 */
export interface Approvals {
  /**
   * Sends `method` (`execCommandApproval`, `applyPatchApproval`, `elicitation/create`, ...) and maps
   * the reply to a decision; an error reply, a timeout, a closed connection, no usable decision,
   * or `elicitation/create` to a client without the capability resolve as `denied` with a
   * `problem`. Rejects only when `signal` fires, with its reason.
   */
  ask<P>(spec: RequestSpec<string, P, unknown>, params: P, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
  /** The same, for a method outside the protocol's declarations (a plugin's own). */
  ask(method: string, params: Record<string, unknown>, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
  /**
   * A modern-era run (`origin.runId`): parks `request` as one of the `inputRequests` of the
   * `input_required` answer of the tool call standing for the run (MCP-2026.md §5), under a key
   * made unique from `key`, and resolves with the decision a retry brings. It resolves as
   * `denied` with a `problem` when the standing request lacks the form elicitation capability,
   * the run has ended, or the client never retried within `timeoutMs`; rejects only when `signal`
   * fires.
   */
  askInRun(runId: string, key: string, request: ElicitInputRequest, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
  /**
   * A turn run as a task (`origin.taskId`, issue 13). Modern era: the task shows `input_required`
   * with `forms.input` in its `inputRequests` and `tasks/update` answers it. Handshake era
   * (2025-11-25): the task shows `input_required` while `forms.elicitation` goes out as an
   * `elicitation/create` tagged with the task. Resolves as `denied` with a `problem` when the task
   * has ended, and otherwise as {@link ask} and {@link askInRun} do; rejects only when `signal` fires.
   */
  askInTask(taskId: string, forms: TaskApprovalForms, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
}

export const APPROVALS: InjectionToken<Approvals> = Symbol.for('agentwire:Approvals');

@injectable()
export class ClientApprovals implements Approvals {
  constructor(
    @inject(CLIENT) private readonly client: ClientChannel,
    private readonly runs: SuspendedRuns,
    private readonly tasks: TaskApprovals,
  ) {}

  ask<P>(spec: RequestSpec<string, P, unknown>, params: P, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
  ask(method: string, params: Record<string, unknown>, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
  ask(target: string | RequestSpec<string, unknown, unknown>, params: unknown, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    return askClient(this.client, target, params, options);
  }

  askInRun(runId: string, key: string, request: ElicitInputRequest, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    return this.runs.ask(runId, key, request, options);
  }

  askInTask(taskId: string, forms: TaskApprovalForms, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    return this.tasks.ask(taskId, forms, options);
  }
}
