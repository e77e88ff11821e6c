import { VERSION } from '../version';

/** `serverInfo` of the initialize result. */
export function serverInfo() {
  return { name: 'agentwire', title: 'agentwire (Codex MCP server)', version: VERSION };
}

/**
 * What the server really serves: tools (listChanged as 0.29 advertises it), logging/setLevel and conversations as
 * resources; for 2025-11-25, also its experimental tasks (task-augmented `tools/call`, list, cancel).
 */
export function serverCapabilities(protocolVersion?: string): Record<string, unknown> {
  const capabilities: Record<string, unknown> = { tools: { listChanged: true }, logging: {}, resources: { subscribe: true, listChanged: true } };
  if (protocolVersion === TASKS_PROTOCOL_VERSION) capabilities.tasks = { list: {}, cancel: {}, requests: { tools: { call: {} } } };
  return capabilities;
}

/** The one handshake version with experimental tasks. */
export const TASKS_PROTOCOL_VERSION = '2025-11-25';

/** `io.modelcontextprotocol/serverInfo` of every modern-era result (schema: Implementation). */
export function modernServerInfo() {
  return { name: 'agentwire', title: 'agentwire (Codex MCP server)', version: VERSION };
}
