import { VERSION } from '../version';

/** `serverInfo` of the initialize result. */
export function serverInfo() {
  return { name: 'agentwire', title: 'agentwire (Codex MCP server)', version: VERSION };
}

/** What the server really serves: tools (listChanged as 0.29 advertises it) and logging/setLevel. */
export function serverCapabilities() {
  return { tools: { listChanged: true }, logging: {} };
}

/** `io.modelcontextprotocol/serverInfo` of every modern-era result (schema: Implementation). */
export function modernServerInfo() {
  return { name: 'agentwire', title: 'agentwire (Codex MCP server)', version: VERSION };
}
