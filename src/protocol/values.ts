/** The closed value lists of the protocol, declared once; config.toml's checks use them too. */

export const APPROVAL_POLICIES = ['untrusted', 'on-failure', 'on-request', 'never'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export const AUTH_METHODS = ['chatgpt', 'apikey'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed', 'none'] as const;
export type ReasoningSummary = (typeof REASONING_SUMMARIES)[number];

/** The answers an approval request can carry (WIRE.md §8.1). */
export const REVIEW_DECISIONS = ['approved', 'approved_for_session', 'denied', 'abort'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** MCP log levels, least severe first (RFC 5424 names, MCP 2025-06-18 `logging`). */
export const MCP_LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type McpLogLevel = (typeof MCP_LOG_LEVELS)[number];
