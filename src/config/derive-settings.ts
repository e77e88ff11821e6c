import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRecord } from '../protocol/is-record';
import type { AgentwireConfig } from './config';
import { ConfigError } from './config-file';
import { CHECKED_KEYS, type ApprovalPolicy, type SandboxMode } from './config-schema';
import type { ConversationSettings, ReasoningEffort, ReasoningSummary, SandboxPolicy, ShellEnvironmentPolicy, Verbosity } from './conversation-settings';
import { ConfigDerivationError } from './derivation-error';
import { BUILT_IN_INSTRUCTIONS, DEFAULT_PROJECT_DOC_MAX_BYTES, readInstructionsFile, readUserInstructions } from './instructions';
import { contextWindowFor } from './model-families';
import { narrowerSandbox, stricterApproval } from './policy-narrowing';
import { applyOverrides, setPath, type ConfigTree } from './overrides';
import { DEFAULT_PROVIDER_ID, resolveProvider } from './providers';
import { DEFAULT_SHELL_ENVIRONMENT_POLICY } from './shell-environment';
import type { NewConversationParams } from '../protocol/codex-params';
import type { ConfigTomlResult } from '../protocol/codex-results';

export { ConfigDerivationError } from './derivation-error';

/**
 * What a new conversation asks for: the `newConversation` params, or the `codex` tool's
 * arguments, which the same declaration maps to the same names (src/protocol/codex-params.ts).
 * Validated before they get here.
 */
export type ConversationParams = Omit<NewConversationParams, never>;

/**
 * What a rollout file records of a conversation's settings. Every member may be missing: a
 * codex 0.29 rollout tells only the cwd, approval policy and sandbox mode (WIRE.md §12).
 */
export interface RecordedSettings {
  model?: string;
  modelProvider?: string;
  cwd?: string;
  approvalPolicy?: ApprovalPolicy;
  sandboxMode?: SandboxMode;
  /** The whole policy (writable roots and all), when agentwire recorded it. */
  sandboxPolicy?: SandboxPolicy;
  /** A replacement system prompt; absent when the built-in one was used. */
  baseInstructions?: string;
  includePlanTool?: boolean;
  includeApplyPatchTool?: boolean;
  reasoningEffort?: ReasoningEffort;
  reasoningSummary?: ReasoningSummary;
  profile?: string;
  /** The `<user_instructions>` text of the session line (already in the recorded history). */
  userInstructions?: string | null;
}

/**
 * The settings of a conversation rebuilt from its rollout: what it recorded, unless `overrides`
 * (newConversation's params) say otherwise, on top of the config as it is now. An override
 * counts when it names the setting in any way newConversation understands: the typed param, the
 * matching `config` key, or a profile (whose keys then decide). The AGENTS.md files are not read
 * again: the recorded history already holds the block the model saw.
 *
 * The approval and sandbox policies are never taken from the file: config.toml as it is now,
 * the `-c` overrides and the request's overrides decide them, and the recorded ones can only
 * narrow that (see policy-narrowing.ts): a file that says `never` and `writable_roots ["/"]`
 * changes nothing under a configured `untrusted` / `read-only`. What is restored as recorded
 * is what decides no permission: the model and provider (a provider must still be configured),
 * reasoning, tools offered, base instructions, profile and the cwd. The cwd is the folder the
 * history talks about; the file it comes from is a regular file under `<home>/sessions` (the
 * store checks its real path), which is as protected as config.toml itself.
 *
 * @throws ConfigDerivationError as deriveSettings does (a recorded provider no longer configured
 *   is one; the client can pick another with `overrides.config.model_provider`)
 */
export function deriveResumedSettings(
  base: AgentwireConfig,
  recorded: RecordedSettings,
  overrides: ConversationParams = {},
  env: NodeJS.ProcessEnv = process.env,
): ConversationSettings {
  const o = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as ConversationParams;
  const configMap = o.config ?? {};
  const inMap = (...keys: string[]) => Object.keys(configMap).some((k) => keys.some((key) => k === key || k.startsWith(`${key}.`)));
  const byProfile = o.profile !== undefined;
  const keep = {
    model: o.model === undefined && !inMap('model') && !byProfile,
    provider: !inMap('model_provider') && !byProfile,
    approval: o.approvalPolicy === undefined && !inMap('approval_policy') && !byProfile,
    sandbox: o.sandbox === undefined && !inMap('sandbox_mode', 'sandbox_workspace_write'),
    instructions: o.baseInstructions === undefined && !inMap('experimental_instructions_file'),
    effort: !inMap('model_reasoning_effort') && !byProfile,
    summary: !inMap('model_reasoning_summary') && !byProfile,
  };

  const params: ConversationParams = { ...o };
  if (keep.model && recorded.model !== undefined) params.model = recorded.model;
  if (o.cwd === undefined && recorded.cwd !== undefined) params.cwd = recorded.cwd;
  if (keep.instructions && recorded.baseInstructions !== undefined) params.baseInstructions = recorded.baseInstructions;
  if (o.includePlanTool === undefined && recorded.includePlanTool !== undefined) params.includePlanTool = recorded.includePlanTool;
  if (o.includeApplyPatchTool === undefined && recorded.includeApplyPatchTool !== undefined) params.includeApplyPatchTool = recorded.includeApplyPatchTool;
  if (keep.provider && recorded.modelProvider !== undefined) params.config = { model_provider: recorded.modelProvider, ...configMap };
  // A profile removed from config.toml since must not make the conversation unresumable; its
  // effects that matter (model, provider, policies, reasoning) were recorded one by one.
  if (!byProfile && recorded.profile !== undefined) {
    const profiles = conversationTree(base, params.config).profiles;
    if (isRecord(profiles) && isRecord(profiles[recorded.profile])) params.profile = recorded.profile;
  }

  const tree = conversationTree(base, params.config);
  const settings = settingsFromTree(tree, params, env);
  if (keep.approval && recorded.approvalPolicy !== undefined) settings.approvalPolicy = stricterApproval(settings.approvalPolicy, recorded.approvalPolicy);
  if (keep.sandbox && recorded.sandboxMode !== undefined) {
    settings.sandboxPolicy = structuredClone(narrowerSandbox(settings.sandboxPolicy, { mode: recorded.sandboxMode, policy: recorded.sandboxPolicy }));
  }
  if (keep.effort && recorded.reasoningEffort !== undefined) settings.reasoningEffort = recorded.reasoningEffort;
  if (keep.summary && recorded.reasoningSummary !== undefined) settings.reasoningSummary = recorded.reasoningSummary;
  if (recorded.userInstructions) settings.userInstructions = recorded.userInstructions;
  return settings;
}

/** The keys a profile may set (CONFIG.md §2.1); `sandbox_mode` is deliberately not one of them. */
export const PROFILE_KEYS: readonly string[] = [
  'model',
  'model_provider',
  'approval_policy',
  'model_reasoning_effort',
  'model_reasoning_summary',
  'model_verbosity',
  'disable_response_storage',
  'chatgpt_base_url',
];

const DEFAULT_MODEL = 'gpt-5';

/**
 * The settings of a new conversation. config.toml is read again (codex re-reads it for every
 * conversation, CONFIG.md §1), then, lowest to highest: the file, the `-c` overrides, the
 * `config` map, the selected profile's keys, the typed params.
 *
 * @param base the start-up config: its home, `-c` overrides, and its tree when there is no file
 * @param params the conversation's params
 * @param env environment for the built-in providers (`OPENAI_BASE_URL`, `CODEX_OSS_*`)
 * @throws ConfigDerivationError with the bare reason (unknown profile or provider, bad value,
 *   unreadable instructions file, broken config.toml)
 */
export function deriveSettings(base: AgentwireConfig, params: ConversationParams = {}, env: NodeJS.ProcessEnv = process.env): ConversationSettings {
  const tree = conversationTree(base, params.config);
  const settings = settingsFromTree(tree, params, env);
  const userInstructions = readUserInstructions({
    home: base.home,
    cwd: settings.cwd,
    projectDocMaxBytes: (tree.project_doc_max_bytes as number | undefined) ?? DEFAULT_PROJECT_DOC_MAX_BYTES,
  });
  if (userInstructions !== undefined) settings.userInstructions = userInstructions;
  return settings;
}

/**
 * config.toml as it is on disk now. When there is no file the start-up tree is used instead: a
 * config built in memory (`AgentwireConfig.fromTree`) has no file behind it, and one loaded
 * from a home without config.toml has nothing but `-c` overrides in it.
 *
 * @throws ConfigDerivationError when the file exists but cannot be read or parsed
 */
export function readCurrentConfigFile(base: AgentwireConfig): ConfigTree {
  if (!existsSync(base.path)) return structuredClone(base.tree);
  try {
    return base.fileCache.read(base.path);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigDerivationError(err.message);
    throw err;
  }
}

/**
 * The merged tree a conversation reads: the current config.toml, then the `-c` overrides, then
 * the `config` map. agentwire applies `-c` although 0.29 ignores them for conversations,
 * because that is what the option promises (CONFIG.md §1). A `null` in the map removes the key,
 * which is the only way a JSON client can ask for a default back.
 */
export function conversationTree(base: AgentwireConfig, configMap: Record<string, unknown> = {}): ConfigTree {
  const tree = applyOverrides(readCurrentConfigFile(base), base.cliOverrides);
  for (const [key, value] of Object.entries(configMap)) {
    const path = key.split('.');
    if (path.some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype')) {
      throw new ConfigDerivationError(`invalid config key ${JSON.stringify(key)}`);
    }
    if (value === null) deletePath(tree, path);
    else setPath(tree, path, structuredClone(value));
  }
  return tree;
}

/**
 * The checks 0.29 makes when it loads config.toml at start-up (CONFIG.md §1): values of the
 * checked keys, including enums inside profiles and providers, the selected profile exists, the
 * model provider exists, and `experimental_instructions_file` can be read. Meant for
 * `AgentwireConfig.load` on the merged tree.
 *
 * @throws ConfigDerivationError (a ConfigError) with the reason
 */
export function checkStartupConfig(tree: ConfigTree, env: NodeJS.ProcessEnv = process.env, processCwd: string = process.cwd()): void {
  settingsFromTree(tree, {}, env, processCwd);
}

/** Everything except the AGENTS.md reading, which needs the home and touches the project. */
function settingsFromTree(tree: ConfigTree, params: ConversationParams, env: NodeJS.ProcessEnv, processCwd: string = process.cwd()): ConversationSettings {
  checkKeys(tree);

  const profileName = params.profile ?? (tree.profile as string | undefined);
  const profile = profileName === undefined ? undefined : findProfile(tree, profileName);
  // Profile keys beat the merged tree: the `config` map cannot override them (CONFIG.md §1).
  const pick = <T>(key: string): T | undefined => (profile?.[key] ?? tree[key] ?? undefined) as T | undefined;

  const model = params.model ?? pick<string>('model') ?? DEFAULT_MODEL;
  const provider = resolveProvider(pick<string>('model_provider') ?? DEFAULT_PROVIDER_ID, tree, env);

  const instructionsFile = tree.experimental_instructions_file as string | undefined;
  // Read even when baseInstructions replaces it, so that a missing file is always reported.
  const fileInstructions = instructionsFile === undefined ? undefined : readInstructionsFile(instructionsFile, processCwd);

  const sandboxMode = params.sandbox ?? (tree.sandbox_mode as SandboxMode | undefined) ?? 'read-only';
  const contextWindow = tree.model_context_window as number | undefined;

  const settings: ConversationSettings = {
    model,
    provider,
    cwd: resolve(processCwd, params.cwd ?? '.'),
    approvalPolicy: params.approvalPolicy ?? pick<ApprovalPolicy>('approval_policy') ?? 'on-request',
    sandboxPolicy: sandboxPolicyFor(sandboxMode, tree.sandbox_workspace_write),
    baseInstructions: params.baseInstructions ?? fileInstructions ?? BUILT_IN_INSTRUCTIONS,
    includePlanTool: params.includePlanTool ?? false,
    includeApplyPatchTool: params.includeApplyPatchTool ?? false,
    reasoningEffort: pick<ReasoningEffort>('model_reasoning_effort') ?? 'medium',
    reasoningSummary: pick<ReasoningSummary>('model_reasoning_summary') ?? 'auto',
    hideAgentReasoning: (tree.hide_agent_reasoning as boolean | undefined) ?? false,
    showRawAgentReasoning: (tree.show_raw_agent_reasoning as boolean | undefined) ?? false,
    modelContextWindow: contextWindow ?? contextWindowFor(model),
    disableResponseStorage: pick<boolean>('disable_response_storage') ?? false,
    shellEnvironmentPolicy: shellPolicyFrom(tree.shell_environment_policy),
  };
  const verbosity = pick<Verbosity>('model_verbosity');
  if (verbosity !== undefined) settings.verbosity = verbosity;
  const notify = tree.notify as string[] | undefined;
  if (notify !== undefined) settings.notify = [...notify];
  const maxImageBytes = tree.max_image_bytes as number | undefined;
  if (maxImageBytes !== undefined) settings.maxImageBytes = maxImageBytes;
  const approvalTimeoutMs = tree.approval_timeout_ms as number | undefined;
  if (approvalTimeoutMs !== undefined) settings.approvalTimeoutMs = approvalTimeoutMs;
  if (profileName !== undefined) settings.profile = profileName;
  return settings;
}

function findProfile(tree: ConfigTree, name: string): Record<string, unknown> {
  const profiles = tree.profiles;
  const profile = isRecord(profiles) && Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!isRecord(profile)) throw new ConfigDerivationError(`config profile \`${name}\` not found`);
  // Only the §2.1 keys count; anything else in the table (sandbox_mode included) is ignored.
  return Object.fromEntries(PROFILE_KEYS.filter((k) => profile[k] !== undefined).map((k) => [k, profile[k]]));
}

/** The same checks as at start-up, on the merged tree, so a config.toml edited since fails here. */
function checkKeys(tree: ConfigTree): void {
  for (const [key, check] of Object.entries(CHECKED_KEYS)) {
    const value = tree[key];
    if (value === undefined || value === null) continue;
    const problem = check(value);
    if (!problem) continue;
    // Table checks name the inner field and its value themselves; repeating the table is noise.
    const got = isRecord(value) ? '' : ` (got ${JSON.stringify(value)})`;
    throw new ConfigDerivationError(`invalid value for \`${key}\`: ${problem}${got}`);
  }
}

/**
 * The policy for `mode`. Only workspace-write reads `[sandbox_workspace_write]`; its four fields
 * are always spelled out because that is how 0.29 serialises the policy on the wire.
 */
export function sandboxPolicyFor(mode: SandboxMode, table: unknown): SandboxPolicy {
  if (mode !== 'workspace-write') return { mode };
  const t = isRecord(table) ? table : {};
  return {
    mode,
    writable_roots: [...((t.writable_roots as string[] | undefined) ?? [])],
    network_access: (t.network_access as boolean | undefined) ?? false,
    exclude_tmpdir_env_var: (t.exclude_tmpdir_env_var as boolean | undefined) ?? false,
    exclude_slash_tmp: (t.exclude_slash_tmp as boolean | undefined) ?? false,
  };
}

function shellPolicyFrom(table: unknown): ShellEnvironmentPolicy {
  const d = DEFAULT_SHELL_ENVIRONMENT_POLICY;
  const t = isRecord(table) ? table : {};
  return {
    inherit: (t.inherit as ShellEnvironmentPolicy['inherit'] | undefined) ?? d.inherit,
    ignoreDefaultExcludes: (t.ignore_default_excludes as boolean | undefined) ?? d.ignoreDefaultExcludes,
    exclude: [...((t.exclude as string[] | undefined) ?? d.exclude)],
    set: { ...((t.set as Record<string, string> | undefined) ?? d.set) },
    includeOnly: [...((t.include_only as string[] | undefined) ?? d.includeOnly)],
  };
}

function deletePath(tree: ConfigTree, path: string[]): void {
  let node: unknown = tree;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(node)) return;
    node = node[part];
  }
  if (isRecord(node)) delete node[path[path.length - 1]];
}

/** `getConfigToml`'s result (WIRE.md §5.12): a camelCase subset, members omitted when unset. */
/** The `getConfigToml` result, declared in src/protocol/. */
export type ConfigTomlView = ConfigTomlResult;

/** The `getConfigToml` view of a config.toml tree; `profiles` is always present. */
export function getConfigTomlView(tree: ConfigTree): ConfigTomlView {
  const copy = (from: Record<string, unknown>, key: string, to: Record<string, unknown>, as: string): void => {
    if (typeof from[key] === 'string') to[as] = from[key];
  };
  // Filled member by member so that the JSON keeps WIRE.md's order, `profiles` last.
  const view: Record<string, unknown> = {};
  copy(tree, 'approval_policy', view, 'approvalPolicy');
  copy(tree, 'sandbox_mode', view, 'sandboxMode');
  copy(tree, 'model_reasoning_effort', view, 'modelReasoningEffort');
  copy(tree, 'profile', view, 'profile');
  const profiles = isRecord(tree.profiles) ? tree.profiles : {};
  view.profiles = Object.fromEntries(
    Object.entries(profiles)
      .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
      .map(([name, profile]) => {
        const entry: Record<string, unknown> = {};
        copy(profile, 'model', entry, 'model');
        copy(profile, 'approval_policy', entry, 'approvalPolicy');
        copy(profile, 'model_reasoning_effort', entry, 'modelReasoningEffort');
        return [name, entry];
      }),
  );
  return view as unknown as ConfigTomlView;
}
