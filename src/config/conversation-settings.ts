import type { ApprovalPolicy } from './config-schema';
import type { ProviderInfo } from './provider-info';
import type { ReasoningEffort, ReasoningSummary } from '../protocol/values';

/** `SandboxPolicy` as the wire carries it (WIRE.md §5), snake_case fields. */
export type SandboxPolicy =
  | { mode: 'danger-full-access' }
  | { mode: 'read-only' }
  | {
      mode: 'workspace-write';
      writable_roots?: string[];
      network_access?: boolean;
      exclude_tmpdir_env_var?: boolean;
      exclude_slash_tmp?: boolean;
    };

export type { ReasoningEffort, ReasoningSummary } from '../protocol/values';
export type Verbosity = 'low' | 'medium' | 'high';

/** `shell_environment_policy` (CONFIG.md §2.2). */
export interface ShellEnvironmentPolicy {
  inherit: 'all' | 'core' | 'none';
  ignoreDefaultExcludes: boolean;
  exclude: string[];
  set: Record<string, string>;
  includeOnly: string[];
}

/**
 * Everything a conversation runs with, derived once when it starts from config.toml, the profile,
 * the `config` map, `-c` overrides and the typed params (CONFIG.md §1). A turn may replace some
 * of these for itself (`sendUserTurn`).
 */
export interface ConversationSettings {
  model: string;
  provider: ProviderInfo;
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
  /** The system prompt: built-in, or baseInstructions / experimental_instructions_file. */
  baseInstructions: string;
  /** The text of the `<user_instructions>` block (home AGENTS.md and project docs), if any. */
  userInstructions?: string;
  includePlanTool: boolean;
  includeApplyPatchTool: boolean;
  reasoningEffort: ReasoningEffort;
  reasoningSummary: ReasoningSummary;
  verbosity?: Verbosity;
  hideAgentReasoning: boolean;
  showRawAgentReasoning: boolean;
  /** null for models agentwire does not know (task_started.model_context_window). */
  modelContextWindow: number | null;
  disableResponseStorage: boolean;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  /** argv run at the end of every turn with a JSON argument (CONFIG.md §2 `notify`). */
  notify?: string[];
  /** Largest image file read for the model (`localImage` items, `view_image`); undefined means 20 MiB. */
  maxImageBytes?: number;
  /** After this long an unanswered approval counts as denied; undefined waits. */
  approvalTimeoutMs?: number;
  /** The profile used, if any. */
  profile?: string;
}

/** Network is on unless workspace-write without network_access, or read-only (CONFIG.md §2). */
export function networkEnabled(policy: SandboxPolicy): boolean {
  if (policy.mode === 'danger-full-access') return true;
  if (policy.mode === 'workspace-write') return policy.network_access === true;
  return false;
}
