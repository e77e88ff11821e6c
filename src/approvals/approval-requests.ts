import type { TurnOrigin } from '../conversations/agent-tool';
import type { FileChange } from '../protocol/file-change';
import type { ReviewDecision } from './review-decision';

interface ApprovalRequestBase {
  conversationId: string;
  callId: string;
  /** How the turn was started: conversations get execCommandApproval / applyPatchApproval, `codex` tool runs get elicitation/create. */
  origin: TurnOrigin;
  /** The submission id of the turn's events (`codex_event_id`). */
  eventId: string;
  reason?: string;
  /** config `approval_timeout_ms`; undefined waits for the answer. */
  timeoutMs?: number;
}

export interface ExecApprovalRequest extends ApprovalRequestBase {
  command: string[];
  cwd: string;
}

export interface PatchApprovalRequest extends ApprovalRequestBase {
  changes: Record<string, FileChange>;
  grantRoot?: string;
}

/** The decision, and when it is a denial by default (error reply, no decision, timeout, no capability), why. */
export interface ApprovalOutcome {
  decision: ReviewDecision;
  problem?: string;
}

/**
 * An approval elicitation provider: how one kind of approval (`exec`, `patch`) is asked of the
 * client. The tools issue defines the request shapes; plugins may supply their own.
 */
export interface ElicitationProvider<Request = unknown, Decision = unknown> {
  request(req: Request, ctx: { signal: AbortSignal }): Promise<Decision>;
}

/** The elicitation kinds the built-in approval plugins register (PluginContext.elicitation). */
export const EXEC_APPROVAL = 'exec';
export const PATCH_APPROVAL = 'patch';
