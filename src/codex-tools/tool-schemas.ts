import { APPROVAL_POLICIES, SANDBOX_MODES } from '../config/config-schema';

/**
 * Input schemas of the `codex` and `codex-reply` MCP tools: names, types, enums and required
 * lists as codex 0.29 declares them (WIRE.md §4.1), descriptions in agentwire's words, plus the
 * optional `conversationId` of later codex clients on `codex-reply`.
 */
export const CODEX_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'First user message.' },
    model: { type: 'string', description: 'Model override, e.g. "o3".' },
    profile: { type: 'string', description: 'config.toml profile to use.' },
    cwd: { type: 'string', description: "Working directory (relative: from the server's)." },
    'approval-policy': {
      type: 'string',
      enum: [...APPROVAL_POLICIES],
      description: 'When commands need approval.',
    },
    sandbox: { type: 'string', enum: [...SANDBOX_MODES], description: 'Sandbox for commands.' },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'config.toml overrides: dotted keys, JSON values.',
    },
    'base-instructions': { type: 'string', description: 'Replaces the built-in system prompt.' },
    'include-plan-tool': { type: 'boolean', description: 'Offer the update_plan tool.' },
  },
  required: ['prompt'],
} as const;

export const CODEX_REPLY_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'Next user message.' },
    sessionId: { type: 'string', description: 'Session id from a codex result.' },
    conversationId: { type: 'string', description: 'Same as sessionId (newer clients).' },
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
