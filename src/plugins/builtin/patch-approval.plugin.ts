import { PATCH_APPROVAL, type ApprovalOutcome, type PatchApprovalRequest } from '../../approvals/approval-requests';
import { askClient } from '../../approvals/ask-client';
import { DECISION_SCHEMA } from '../../approvals/review-decision';
import { ClientSession } from '../../mcp/client-session';
import { patchApprovalInput } from '../../mcp/mrtr/approval-inputs';
import { SuspendedRuns } from '../../mcp/mrtr/suspended-runs';
import { OutgoingRequests } from '../../router/outgoing-requests';
import type { AgentwirePlugin } from '../plugin';

/**
 * Asks the client whether a patch may be applied: `applyPatchApproval` for conversations
 * (WIRE.md §8.2), `elicitation/create` with `codex_changes` for `codex` tool runs (§8.3).
 */
export const patchApprovalPlugin: AgentwirePlugin = {
  name: 'agentwire:patch-approval',
  register(ctx) {
    const outgoing = ctx.resolve(OutgoingRequests);
    const session = ctx.resolve(ClientSession);
    const runs = ctx.resolve(SuspendedRuns);
    ctx.elicitation<PatchApprovalRequest, ApprovalOutcome>(PATCH_APPROVAL, {
      request(req, { signal }) {
        // A modern-era run: the approval becomes an `input_required` answer (MCP-2026.md §5).
        if (req.origin.kind === 'tool-call' && req.origin.runId !== undefined) {
          return runs.ask(req.origin.runId, `approval-${req.callId}`, patchApprovalInput(req), { timeoutMs: req.timeoutMs, signal });
        }
        if (req.origin.kind === 'tool-call') {
          const params: Record<string, unknown> = {
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
          return askClient(outgoing, session, 'elicitation/create', params, { timeoutMs: req.timeoutMs, signal });
        }
        const params: Record<string, unknown> = { conversation_id: req.conversationId, call_id: req.callId, file_changes: req.changes };
        if (req.reason !== undefined) params.reason = req.reason;
        if (req.grantRoot !== undefined) params.grant_root = req.grantRoot;
        return askClient(outgoing, session, 'applyPatchApproval', params, { timeoutMs: req.timeoutMs, signal });
      },
    });
  },
};
