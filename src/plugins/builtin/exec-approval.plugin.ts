import { shlexJoin } from '../../exec/shlex-join';
import { EXEC_APPROVAL, type ApprovalOutcome, type ExecApprovalRequest } from '../../approvals/approval-requests';
import { APPROVALS } from '../../approvals/approval-service';
import { DECISION_SCHEMA } from '../../approvals/review-decision';
import { execApprovalInput } from '../../mcp/mrtr/approval-inputs';
import type { CodexElicitationParams, ExecCommandApprovalParams } from '../../protocol/approvals';
import { OutgoingRequest } from '../../protocol/methods';
import type { AgentwirePlugin } from '../plugin';

/**
 * Asks the client whether a command may run: `execCommandApproval` for conversations
 * (WIRE.md §8.1), `elicitation/create` with the `codex_*` fields for `codex` tool runs (§8.3),
 * for a modern-era `codex` run an `input_required` form input (APPROVALS.askInRun, MCP-2026.md §5),
 * and for a `codex` run as a task the task's `input_required` (APPROVALS.askInTask, issue 13).
 */
export const execApprovalPlugin: AgentwirePlugin = {
  name: 'agentwire:exec-approval',
  register(ctx) {
    const approvals = ctx.resolve(APPROVALS);
    ctx.elicitation<ExecApprovalRequest, ApprovalOutcome>(EXEC_APPROVAL, {
      request(req, { signal }) {
        // A modern-era run: the approval becomes an `input_required` answer (MCP-2026.md §5).
        if (req.origin.kind === 'tool-call' && req.origin.runId !== undefined) {
          return approvals.askInRun(req.origin.runId, `approval-${req.callId}`, execApprovalInput(req), { timeoutMs: req.timeoutMs, signal });
        }
        if (req.origin.kind === 'tool-call') {
          const params: CodexElicitationParams = {
            message: `Allow Codex to run \`${shlexJoin(req.command)}\` in \`${req.cwd}\`?`,
            requestedSchema: DECISION_SCHEMA,
            codex_elicitation: 'exec-approval',
            codex_mcp_tool_call_id: String(req.origin.requestId),
            codex_event_id: req.eventId,
            codex_call_id: req.callId,
            codex_command: req.command,
            codex_cwd: req.cwd,
          };
          if (req.reason !== undefined) params.codex_reason = req.reason;
          // A turn run as a task: the task shows input_required while the approval is out (issue 13).
          if (req.origin.taskId !== undefined) {
            return approvals.askInTask(
              req.origin.taskId,
              { key: `approval-${req.callId}`, input: execApprovalInput(req), elicitation: params },
              { timeoutMs: req.timeoutMs, signal },
            );
          }
          return approvals.ask(OutgoingRequest.elicitationCreate, params, { timeoutMs: req.timeoutMs, signal });
        }
        const params: ExecCommandApprovalParams = { conversation_id: req.conversationId, call_id: req.callId, command: req.command, cwd: req.cwd };
        if (req.reason !== undefined) params.reason = req.reason;
        return approvals.ask(OutgoingRequest.execCommandApproval, params, { timeoutMs: req.timeoutMs, signal });
      },
    });
  },
};
