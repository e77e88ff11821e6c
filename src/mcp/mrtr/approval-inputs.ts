import type { ExecApprovalRequest, PatchApprovalRequest } from '../../approvals/approval-requests';
import { shlexJoin } from '../../exec/shlex-join';
import type { ElicitInputRequest, TitledSingleSelect } from '../../protocol/mcp-2026';
import { ELICITATION_CREATE } from '../../protocol/mcp-2026-names';

/**
 * The one form field of an approval (MCP-2026.md §5.5): a titled single select, so every client
 * shows readable choices. Not required: a client that accepts without content approves once.
 */
export const DECISION_FIELD: TitledSingleSelect = {
  type: 'string',
  title: 'Decision',
  oneOf: [
    { const: 'approved', title: 'Approve' },
    { const: 'approved_for_session', title: 'Approve for this session' },
    { const: 'denied', title: 'Deny' },
    { const: 'abort', title: 'Abort the turn' },
  ],
};

function formRequest(message: string, extra: Record<string, unknown>): ElicitInputRequest {
  return {
    method: ELICITATION_CREATE,
    params: { mode: 'form', message, requestedSchema: { type: 'object', properties: { decision: DECISION_FIELD } }, ...extra },
  };
}

/** An exec approval as an `inputRequests` entry: the message shows the command and its folder. */
export function execApprovalInput(req: ExecApprovalRequest): ElicitInputRequest {
  const reason = req.reason !== undefined ? `\nReason: ${req.reason}` : '';
  return formRequest(`Allow Codex to run \`${shlexJoin(req.command)}\` in \`${req.cwd}\`?${reason}`, {
    codex_elicitation: 'exec-approval',
    codex_call_id: req.callId,
    codex_command: req.command,
    codex_cwd: req.cwd,
    ...(req.reason !== undefined ? { codex_reason: req.reason } : {}),
  });
}

/** A patch approval as an `inputRequests` entry: the message lists the files and what happens to each. */
export function patchApprovalInput(req: PatchApprovalRequest): ElicitInputRequest {
  const lines = Object.entries(req.changes).map(([path, change]) => {
    if ('add' in change) return `  add ${path}`;
    if ('delete' in change) return `  delete ${path}`;
    return change.update.move_path ? `  move ${path} -> ${change.update.move_path}` : `  update ${path}`;
  });
  const reason = req.reason !== undefined ? `\nReason: ${req.reason}` : '';
  return formRequest(`Allow Codex to apply these changes?\n${lines.join('\n')}${reason}`, {
    codex_elicitation: 'patch-approval',
    codex_call_id: req.callId,
    codex_files: Object.keys(req.changes),
    ...(req.reason !== undefined ? { codex_reason: req.reason } : {}),
    ...(req.grantRoot !== undefined ? { codex_grant_root: req.grantRoot } : {}),
  });
}
