import { APPROVAL_POLICIES, SANDBOX_MODES } from '../config/config-schema';

/**
 * Input schemas of the `codex` and `codex-reply` MCP tools: names, types, enums and required
 * lists as codex 0.29 declares them (WIRE.md §4.1), descriptions in agentwire's words, plus the
 * optional `conversationId` of later codex clients on `codex-reply`.
 */
export const CODEX_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'The first user message of the new session.' },
    model: { type: 'string', description: 'Model to use instead of the configured one (for example "o3").' },
    profile: { type: 'string', description: 'A [profiles.<name>] table of config.toml to take defaults from.' },
    cwd: { type: 'string', description: 'Working directory of the session; a relative path is taken from the server\'s own directory.' },
    'approval-policy': {
      type: 'string',
      enum: [...APPROVAL_POLICIES],
      description: 'When commands need the client\'s approval: untrusted, on-failure, on-request or never.',
    },
    sandbox: { type: 'string', enum: [...SANDBOX_MODES], description: 'Sandbox for commands: read-only, workspace-write or danger-full-access.' },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'config.toml settings to override, as dotted keys with JSON values (for example {"model_reasoning_effort": "high"}).',
    },
    'base-instructions': { type: 'string', description: 'A system prompt to use instead of the built-in one.' },
    'include-plan-tool': { type: 'boolean', description: 'Offer the update_plan tool to the model.' },
  },
  required: ['prompt'],
} as const;

export const CODEX_REPLY_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'The next user message.' },
    sessionId: { type: 'string', description: 'The session to continue: the session id of a codex call (its structuredContent.sessionId).' },
    conversationId: { type: 'string', description: 'Same as sessionId, the name later codex clients use; give one of the two.' },
  },
  required: ['prompt'],
} as const;

/** The structured result both tools declare (WIRE.md §4.2). */
export const CODEX_OUTPUT_SCHEMA = {
  type: 'object',
  properties: {
    sessionId: { type: 'string' },
    conversationId: { type: 'string' },
    lastAgentMessage: { type: ['string', 'null'] },
  },
  required: ['sessionId'],
} as const;
