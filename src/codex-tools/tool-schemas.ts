import type { JsonSchema } from '../mcp/tool-registry';

/**
 * The `codex` and `codex-reply` tools' `inputSchema` and `outputSchema`, generated at build time
 * (scripts/protocol-schema.js, from src/schema/generate.ts) from CodexToolParams,
 * CodexReplyToolParams and CodexToolResult, the classes that validate them. Read from a JSON file
 * so that start-up does not load a JSON Schema generator.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file the build writes after tsc: required, not imported
const schemas = require('./tool-schemas.json') as Record<'codex' | 'codex-reply', { inputSchema: JsonSchema; outputSchema: JsonSchema }>;

export const CODEX_INPUT_SCHEMA: JsonSchema = schemas.codex.inputSchema;
export const CODEX_REPLY_INPUT_SCHEMA: JsonSchema = schemas['codex-reply'].inputSchema;
export const CODEX_OUTPUT_SCHEMA: JsonSchema = schemas.codex.outputSchema;
