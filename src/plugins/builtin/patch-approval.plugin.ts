import { PATCH_APPROVAL, type ApprovalOutcome, type PatchApprovalRequest } from '../../approvals/approval-requests';
import { APPROVALS } from '../../approvals/approval-service';
import { DECISION_SCHEMA } from '../../approvals/review-decision';
import { patchApprovalInput } from '../../mcp/mrtr/approval-inputs';
import type { ApplyPatchApprovalParams, CodexElicitationParams } from '../../protocol/approvals';
import { OutgoingRequest } from '../../protocol/methods';
import type { AgentwirePlugin } from '../plugin';

/**
 * Asks the client whether a patch may be applied: `applyPatchApproval` for conversations
 * (WIRE.md §8.2), `elicitation/create` with `codex_changes` for `codex` tool runs (§8.3), for a
 * modern-era `codex` run an `input_required` form input (APPROVALS.askInRun, MCP-2026.md §5), and
 * for a `codex` run as a task the task's `input_required` (APPROVALS.askInTask, issue 13).
 */
export const patchApprovalPlugin: AgentwirePlugin = {
  name: 'agentwire:patch-approval',
  register(ctx) {
    const approvals = ctx.resolve(APPROVALS);
    ctx.elicitation<PatchApprovalRequest, ApprovalOutcome>(PATCH_APPROVAL, {
      request(req, { signal }) {
        // A modern-era run: the approval becomes an `input_required` answer (MCP-2026.md §5).
        if (req.origin.kind === 'tool-call' && req.origin.runId !== undefined) {
          return approvals.askInRun(req.origin.runId, `approval-${req.callId}`, patchApprovalInput(req), { timeoutMs: req.timeoutMs, signal });
        }
        if (req.origin.kind === 'tool-call') {
          const params: CodexElicitationParams = {
            message: 'Allow Codex to apply proposed code changes?',
            requestedSchema: DECISION_SCHEMA,
            codex_elicitation: 'patch-approval',
            codex_mcp_tool_call_id: String(req.origin.requestId),
            codex_event_id: req.eventId,
            codex_call_id: req.callId,
            codex_changes: req.changes,
          };
          if (req.reason !== undefined) params.codex_reason = req.reason;
          if (req.grantRoot !== undefined) params.codex_grant_root = req.grantRoot;
          // A turn run as a task: the task shows input_required while the approval is out (issue 13).
          if (req.origin.taskId !== undefined) {
            return approvals.askInTask(
              req.origin.taskId,
              { key: `approval-${req.callId}`, input: patchApprovalInput(req), elicitation: params },
              { timeoutMs: req.timeoutMs, signal },
            );
          }
          return approvals.ask(OutgoingRequest.elicitationCreate, params, { timeoutMs: req.timeoutMs, signal });
        }
        const params: ApplyPatchApprovalParams = { conversation_id: req.conversationId, call_id: req.callId, file_changes: req.changes };
        if (req.reason !== undefined) params.reason = req.reason;
        if (req.grantRoot !== undefined) params.grant_root = req.grantRoot;
        return approvals.ask(OutgoingRequest.applyPatchApproval, params, { timeoutMs: req.timeoutMs, signal });
      },
    });
  },
};
