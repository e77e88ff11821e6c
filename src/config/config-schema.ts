import { isRecord } from '../router/envelope';
import { isLevelName } from '../logging/logger';

/** One checked key: returns a description of what is expected when `value` is wrong, else undefined. */
export type KeyCheck = (value: unknown) => string | undefined;

const oneOf =
  (...allowed: string[]): KeyCheck =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? undefined : `expected one of ${allowed.join(', ')}`;
const aString: KeyCheck = (v) => (typeof v === 'string' ? undefined : 'expected a string');
const aBoolean: KeyCheck = (v) => (typeof v === 'boolean' ? undefined : 'expected a boolean');
const aNonNegativeInteger: KeyCheck = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'expected a non-negative integer';
const stringList: KeyCheck = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'expected an array of strings';

export const APPROVAL_POLICIES = ['untrusted', 'on-failure', 'on-request', 'never'] as const;
export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export const AUTH_METHODS = ['chatgpt', 'apikey'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
export type SandboxMode = (typeof SANDBOX_MODES)[number];
export type AuthMethod = (typeof AUTH_METHODS)[number];

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
  auth_issuer: aString,
  auth_client_id: aString,
  login_port: aNonNegativeInteger,
  hide_agent_reasoning: aBoolean,
  show_raw_agent_reasoning: aBoolean,
  profiles: (v) => (isRecord(v) ? undefined : 'expected a table'),
  model_providers: (v) => (isRecord(v) ? undefined : 'expected a table'),
};
