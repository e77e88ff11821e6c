import { isRecord } from '../protocol/is-record';
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from './config-schema';
import type { SandboxPolicy } from './conversation-settings';

/**
 * How much each approval policy leaves to the user, least first: `never` asks nothing,
 * `on-request` asks when the model asks to leave the sandbox, `on-failure` asks before any
 * unsandboxed retry of a failed command, `untrusted` asks for every command not known safe
 * (APPROVAL.md §2).
 */
const APPROVAL_STRICTNESS: readonly ApprovalPolicy[] = ['never', 'on-request', 'on-failure', 'untrusted'];

/** How much each sandbox mode lets commands write, least first. */
const SANDBOX_REACH: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

/**
 * The stricter of the approval policy the config and request decide and one a rollout recorded.
 * A rollout can only narrow: a recorded `never` never loosens a configured `untrusted`. A
 * recorded value that is no policy at all (a damaged or planted file) is ignored.
 */
export function stricterApproval(decided: ApprovalPolicy, recorded: unknown): ApprovalPolicy {
  if (!(APPROVAL_POLICIES as readonly unknown[]).includes(recorded)) return decided;
  const r = recorded as ApprovalPolicy;
  return APPROVAL_STRICTNESS.indexOf(r) > APPROVAL_STRICTNESS.indexOf(decided) ? r : decided;
}

/**
 * The narrower of the sandbox the config and request decide and one a rollout recorded: the
 * mode that reaches less, and when both are workspace-write, only the writable roots both name,
 * network access only when both allow it, and /tmp and $TMPDIR writable only when both leave
 * them so. Anything malformed in the recorded policy is ignored (the decided one stands).
 *
 * @param recorded the recorded policy, or just its mode (a codex 0.29 rollout records no more)
 */
export function narrowerSandbox(decided: SandboxPolicy, recorded: { mode?: unknown; policy?: unknown }): SandboxPolicy {
  const mode = recorded.mode;
  if (!(SANDBOX_MODES as readonly unknown[]).includes(mode)) return decided;
  const recordedMode = mode as SandboxMode;
  const reach = SANDBOX_REACH.indexOf(recordedMode) - SANDBOX_REACH.indexOf(decided.mode);
  if (reach > 0) return decided;
  if (recordedMode !== 'workspace-write') return { mode: recordedMode };
  // A codex 0.29 rollout records the mode alone: the decided workspace-write policy stands.
  if (!isRecord(recorded.policy))
    return decided.mode === 'workspace-write'
      ? decided
      : { mode: 'workspace-write', writable_roots: [], network_access: false, exclude_tmpdir_env_var: true, exclude_slash_tmp: true };
  const policy = recorded.policy;
  if (decided.mode !== 'workspace-write') {
    // Narrower than full access whatever it lists: a workspace-write policy still protects .git
    // and everything outside its roots. Its roots are taken as recorded (the file is the
    // conversation's own, under the home), but never more than a decided workspace-write allows.
    return {
      mode: 'workspace-write',
      writable_roots: stringList(policy.writable_roots),
      network_access: policy.network_access === true,
      exclude_tmpdir_env_var: policy.exclude_tmpdir_env_var !== false,
      exclude_slash_tmp: policy.exclude_slash_tmp !== false,
    };
  }
  const both = new Set(stringList(policy.writable_roots));
  return {
    mode: 'workspace-write',
    writable_roots: (decided.writable_roots ?? []).filter((root) => both.has(root)),
    network_access: decided.network_access === true && policy.network_access === true,
    exclude_tmpdir_env_var: decided.exclude_tmpdir_env_var === true || policy.exclude_tmpdir_env_var !== false,
    exclude_slash_tmp: decided.exclude_slash_tmp === true || policy.exclude_slash_tmp !== false,
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
