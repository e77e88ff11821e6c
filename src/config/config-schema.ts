import { isRecord } from '../protocol/is-record';
import { isLevelName } from '../logging/logger';
import { APPROVAL_POLICIES, AUTH_METHODS, REASONING_EFFORTS, REASONING_SUMMARIES, SANDBOX_MODES } from '../protocol/values';

/** One checked key: returns a description of what is expected when `value` is wrong, else undefined. */
export type KeyCheck = (value: unknown) => string | undefined;

const oneOf =
  (...allowed: string[]): KeyCheck =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? undefined : `expected one of ${allowed.join(', ')}`;
const aString: KeyCheck = (v) => (typeof v === 'string' ? undefined : 'expected a string');
const aBoolean: KeyCheck = (v) => (typeof v === 'boolean' ? undefined : 'expected a boolean');
const aNonNegativeInteger: KeyCheck = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'expected a non-negative integer');
const stringList: KeyCheck = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'expected an array of strings');

const stringTable: KeyCheck = (v) => (isRecord(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'expected a table of strings');

/**
 * A table whose known fields are checked; unknown fields pass, as everywhere in config.toml.
 * The problem names the field and its value, because the caller only knows the table's key.
 */
const tableWith =
  (fields: Record<string, KeyCheck>): KeyCheck =>
  (v) => {
    if (!isRecord(v)) return 'expected a table';
    for (const [field, check] of Object.entries(fields)) {
      const value = v[field];
      if (value === undefined || value === null) continue;
      const problem = check(value);
      if (problem) return `\`${field}\`: ${problem} (got ${JSON.stringify(value)})`;
    }
    return undefined;
  };

/** A table of named tables (`[profiles.<name>]`, `[model_providers.<id>]`), each checked. */
const tablesOf =
  (fields: Record<string, KeyCheck>): KeyCheck =>
  (v) => {
    if (!isRecord(v)) return 'expected a table';
    const check = tableWith(fields);
    for (const [name, entry] of Object.entries(v)) {
      const problem = check(entry);
      if (problem) return problem.startsWith('`') ? `\`${name}.${problem.slice(1)}` : `\`${name}\`: ${problem}`;
    }
    return undefined;
  };

export { APPROVAL_POLICIES, AUTH_METHODS, REASONING_EFFORTS, REASONING_SUMMARIES, SANDBOX_MODES } from '../protocol/values';
export type { ApprovalPolicy, AuthMethod, SandboxMode } from '../protocol/values';
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export const WIRE_APIS = ['chat', 'responses'] as const;
export const SHELL_INHERIT_MODES = ['all', 'core', 'none'] as const;

/**
 * Top-level keys whose values are checked when the server starts (CONFIG.md §1: a bad value
 * stops start-up). Keys not listed are read where they are used; unknown keys are ignored.
 */
export const CHECKED_KEYS: Record<string, KeyCheck> = {
  model: aString,
  model_provider: aString,
  approval_policy: oneOf(...APPROVAL_POLICIES),
  sandbox_mode: oneOf(...SANDBOX_MODES),
  preferred_auth_method: oneOf(...AUTH_METHODS),
  profile: aString,
  plugins: stringList,
  log_level: (v) => (isLevelName(v) ? undefined : 'expected one of trace, debug, info, warn, error, fatal, silent'),
  approval_timeout_ms: aNonNegativeInteger,
  max_running_tasks: aNonNegativeInteger,
  auth_issuer: aString,
  auth_client_id: aString,
  login_port: aNonNegativeInteger,
  login_timeout_ms: aNonNegativeInteger,
  hide_agent_reasoning: aBoolean,
  show_raw_agent_reasoning: aBoolean,
  model_reasoning_effort: oneOf(...REASONING_EFFORTS),
  model_reasoning_summary: oneOf(...REASONING_SUMMARIES),
  model_verbosity: oneOf(...VERBOSITIES),
  disable_response_storage: aBoolean,
  model_context_window: aNonNegativeInteger,
  project_doc_max_bytes: aNonNegativeInteger,
  rollout_max_bytes: aNonNegativeInteger,
  event_replay_buffer: aNonNegativeInteger,
  max_image_bytes: aNonNegativeInteger,
  notify: stringList,
  experimental_instructions_file: aString,
  chatgpt_base_url: aString,
  sandbox_workspace_write: tableWith({
    writable_roots: stringList,
    network_access: aBoolean,
    exclude_tmpdir_env_var: aBoolean,
    exclude_slash_tmp: aBoolean,
  }),
  shell_environment_policy: tableWith({
    inherit: oneOf(...SHELL_INHERIT_MODES),
    ignore_default_excludes: aBoolean,
    exclude: stringList,
    set: stringTable,
    include_only: stringList,
  }),
  // The keys a profile may hold (CONFIG.md §2.1); others in a profile are ignored, not checked.
  profiles: tablesOf({
    model: aString,
    model_provider: aString,
    approval_policy: oneOf(...APPROVAL_POLICIES),
    model_reasoning_effort: oneOf(...REASONING_EFFORTS),
    model_reasoning_summary: oneOf(...REASONING_SUMMARIES),
    model_verbosity: oneOf(...VERBOSITIES),
    disable_response_storage: aBoolean,
    chatgpt_base_url: aString,
  }),
  model_providers: tablesOf({
    name: aString,
    base_url: aString,
    env_key: aString,
    env_key_instructions: aString,
    wire_api: oneOf(...WIRE_APIS),
    query_params: stringTable,
    http_headers: stringTable,
    env_http_headers: stringTable,
    request_max_retries: aNonNegativeInteger,
    stream_max_retries: aNonNegativeInteger,
    stream_idle_timeout_ms: aNonNegativeInteger,
    requires_openai_auth: aBoolean,
  }),
};

/**
 * Top-level keys that are read somewhere but not checked at start-up (CONFIG.md §2): known, so
 * not reported as unknown. Anything else in config.toml is ignored, as codex does, and logged at
 * debug level.
 */
export const OTHER_KNOWN_KEYS: readonly string[] = ['instructions', 'model_max_output_tokens', 'history', 'file_opener', 'mcp_servers', 'tui', 'projects'];

/** The top-level keys of a config tree that neither agentwire nor codex 0.29 reads. */
export function unknownTopLevelKeys(tree: Record<string, unknown>): string[] {
  return Object.keys(tree).filter((key) => !(key in CHECKED_KEYS) && !OTHER_KNOWN_KEYS.includes(key));
}
