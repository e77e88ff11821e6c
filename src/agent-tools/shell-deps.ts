import type { ApprovalOutcome, ElicitationProvider } from '../approvals/approval-requests';
import type { SandboxProbe } from '../exec/sandbox';
import type { ProcessGroups } from '../process/process-groups';

/** Default command timeout, as in 0.29 (SANDBOX.md §4). */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ShellToolDeps {
  /** The agentwire home: commands get it read-only and patches may not write it, wherever the roots are. */
  home?: string;
  groups: ProcessGroups;
  /** The sandbox check, made on first use (it runs bwrap once and caches the answer). */
  probe(): SandboxProbe;
  approvals<Req>(kind: string): ElicitationProvider<Req, ApprovalOutcome> | undefined;
}
