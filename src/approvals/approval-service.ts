import { inject, injectable, type InjectionToken } from 'tsyringe';
import { CLIENT, type ClientChannel } from '../mcp/client-channel';
import type { ApprovalOutcome } from './approval-requests';
import { askClient } from './ask-client';

/**
 * Asking the client for an approval (the APPROVALS token): what the approval plugins, built-in or
 * not, use to put one question to the client and get a decision back that fails closed.
 */
export interface Approvals {
  /**
   * Sends `method` (`execCommandApproval`, `applyPatchApproval`, `elicitation/create`, ...) and maps
   * the reply to a decision; an error reply, a timeout, a closed connection, no usable decision,
   * or `elicitation/create` to a client without the capability resolve as `denied` with a
   * `problem`. Rejects only when `signal` fires, with its reason.
   */
  ask(method: string, params: Record<string, unknown>, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome>;
}

export const APPROVALS: InjectionToken<Approvals> = Symbol.for('agentwire:Approvals');

@injectable()
export class ClientApprovals implements Approvals {
  constructor(@inject(CLIENT) private readonly client: ClientChannel) {}

  ask(method: string, params: Record<string, unknown>, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    return askClient(this.client, method, params, options);
  }
}
