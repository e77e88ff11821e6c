import type { ApprovalPolicy, SandboxMode } from '../config/config-schema';

/** Tool output to the model when the client denies a command (APPROVAL.md §3, decision values). */
export const EXEC_REJECTED_BY_USER = 'exec command rejected by user';

/** Tool output to the model when the client denies a patch (APPROVAL.md §3, decision values). */
export const PATCH_REJECTED_BY_USER = 'patch rejected by user';

/** Tool output to the model when `never` refuses a patch that would write outside the writable roots. */
export const PATCH_REJECTED_OUTSIDE_PROJECT = 'patch rejected: writing outside of the project; rejected by user approval settings';

/** Tool output to the model when a patch would write inside the agentwire home ($CODEX_HOME). */
export const PATCH_REJECTED_HOME = 'patch rejected: writing inside the agentwire home is not allowed while a sandbox is in use';

/** Tool output to the model when a patch would write inside a `.git` folder (issue 18). */
export const PATCH_REJECTED_GIT_DIR = 'patch rejected: writing inside a .git folder is not allowed while a sandbox is in use';

/**
 * What happens when a sandboxed run is denied by the sandbox (SANDBOX.md §3): `ask` the client to
 * rerun it without the sandbox (sbx→ask), or `report` the denial to the model (sbx-fail).
 */
export type SandboxDenialAction = 'ask' | 'report';

/**
 * How a `shell` command proceeds (APPROVAL.md §3).
 * - `run` without sandbox: runs at once, unsandboxed (auto).
 * - `run` with sandbox: runs at once in the sandbox (auto-sbx); a sandbox denial then follows
 *   `onSandboxDenial`.
 * - `ask`: ask the client first; on approval it runs without the sandbox.
 *
 * There is no refusal: under every policy a command either runs or is asked about; what the sandbox
 * denies is only known at run time.
 */
export type ExecDecision = { kind: 'run'; sandbox: false } | { kind: 'run'; sandbox: true; onSandboxDenial: SandboxDenialAction } | { kind: 'ask' };

/** The facts {@link decideExec} needs about one `shell` call. */
export interface ExecDecisionInput {
  policy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  /** `isKnownSafeCommand(argv)` (safe-commands.ts). */
  safe: boolean;
  /** The model sent `with_escalated_permissions: true`. */
  escalated: boolean;
  /** This exact argv was answered `approved_for_session` earlier in the conversation. */
  approvedForSession: boolean;
}

/**
 * The exec columns of the measured decision table (APPROVAL.md §3). Commands outside the writable
 * roots get the same decision as those inside: the sandbox tells them apart when they run.
 */
export function decideExec(input: ExecDecisionInput): ExecDecision {
  const { policy, sandboxMode, safe, escalated, approvedForSession } = input;
  // Known-safe commands are never asked about (0.29 also ran them unsandboxed; agentwire does not:
  // see decideExecRun, which is what the shell tool uses).
  if (safe) return runUnsandboxed();
  // The session approval covered running without the sandbox, so repeats get the same (source).
  if (approvedForSession) return runUnsandboxed();
  if (policy === 'untrusted') return { kind: 'ask' };
  if (sandboxMode === 'danger-full-access') return runUnsandboxed();
  switch (policy) {
    case 'on-failure':
      // The escalation flag is only offered under on-request; elsewhere it is ignored.
      return runSandboxed('ask');
    case 'on-request':
      return escalated ? { kind: 'ask' } : runSandboxed('report');
    case 'never':
      return runSandboxed('report');
  }
}

/**
 * Where a `shell` command runs: {@link decideExec}'s answer (whether to ask, the measured table,
 * unchanged) with agentwire's one departure from 0.29 (APPROVAL.md §4, SANDBOX.md §3): known-safe
 * means "needs no approval", never "needs no sandbox". Unsandboxed, `git diff --output=…` writes
 * anywhere and `git status` runs a repository's `core.fsmonitor` command, so a known-safe command
 * runs in the sandbox whenever one applies (read-only, workspace-write). danger-full-access has
 * none, and an argv the client approved for the session runs as it was approved, unsandboxed.
 *
 * A sandbox denial (or no usable sandbox) then goes to the client under the policies that ask
 * before anything unusual runs (untrusted, on-failure) and is reported to the model under
 * on-request and never, as for any other sandboxed command there.
 */
export function decideExecRun(input: ExecDecisionInput): ExecDecision {
  const decision = decideExec(input);
  if (decision.kind !== 'run' || decision.sandbox) return decision;
  if (!input.safe || input.approvedForSession || input.sandboxMode === 'danger-full-access') return decision;
  return runSandboxed(input.policy === 'untrusted' || input.policy === 'on-failure' ? 'ask' : 'report');
}

function runUnsandboxed(): ExecDecision {
  return { kind: 'run', sandbox: false };
}

function runSandboxed(onSandboxDenial: SandboxDenialAction): ExecDecision {
  return { kind: 'run', sandbox: true, onSandboxDenial };
}

/**
 * How an intercepted `apply_patch` proceeds (APPROVAL.md §3 patch columns, §5).
 * - `apply`: apply without asking (`patch_apply_begin.auto_approved: true`). `sandboxFailure` says
 *   what to do if a write is still refused by the sandbox: `ask` through a patch approval, `report`
 *   the failure to the model, or `none` when no sandbox is involved (danger-full-access).
 * - `ask`: send a patch approval first; on approval apply it.
 * - `reject`: do not apply and do not ask; `message` is the model's tool output.
 */
export type PatchDecision = { kind: 'apply'; autoApproved: true; sandboxFailure: SandboxDenialAction | 'none' } | { kind: 'ask' } | { kind: 'reject'; message: string };

/** The facts {@link decidePatch} needs about one verified patch. */
export interface PatchDecisionInput {
  policy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  /**
   * Every added, deleted, updated and move-target path lies within the writable roots
   * (`isWithinRoots`, writable-roots.ts). Only consulted under workspace-write: read-only has no roots.
   */
  allWithinRoots: boolean;
  /**
   * Some added, deleted, updated or move-target path lies inside a `.git` folder, by its path as
   * written or by its real path (`isInGitDir`, writable-roots.ts).
   */
  writesGitDir?: boolean;
}

/** The patch columns of the measured decision table (APPROVAL.md §3). */
export function decidePatch(input: PatchDecisionInput): PatchDecision {
  const { policy, sandboxMode, allWithinRoots } = input;
  // A `.git` folder is code: git runs its config (core.fsmonitor, core.hooksPath, hooks), and
  // agentwire and the user run git outside any sandbox. The sandbox keeps `.git` read-only for
  // commands, and a patch is refused there too, under every policy, without asking: no task
  // needs the model to edit git's own files, and an approval showing `.git/config` is too easy
  // to wave through. Under danger-full-access the user turned the sandbox off and every command
  // can write `.git` anyway, so refusing patches there would protect nothing; the table decides.
  if (input.writesGitDir === true && sandboxMode !== 'danger-full-access') return { kind: 'reject', message: PATCH_REJECTED_GIT_DIR };
  // Under untrusted even a patch entirely inside the cwd is asked about (measured).
  if (policy === 'untrusted') return { kind: 'ask' };
  if (sandboxMode === 'danger-full-access') return { kind: 'apply', autoApproved: true, sandboxFailure: 'none' };
  if (sandboxMode === 'workspace-write' && allWithinRoots) {
    return { kind: 'apply', autoApproved: true, sandboxFailure: policy === 'on-failure' ? 'ask' : 'report' };
  }
  switch (policy) {
    case 'on-failure':
      // 0.29 lets the write fail in the sandbox and then asks an exec approval for its own binary
      // (sbx→ask). agentwire writes patches itself and already knows the write falls outside the
      // roots, so it asks the patch approval at once: WIRE.md §10b "a patch that fails in the
      // sandbox under on-failure is retried through a patch approval".
      return { kind: 'ask' };
    case 'on-request':
      return { kind: 'ask' };
    case 'never':
      return { kind: 'reject', message: PATCH_REJECTED_OUTSIDE_PROJECT };
  }
}
