import { CallToolRequestParams } from '../protocol/mcp-2026';

/**
 * MCP `tools/call` params (declared in src/protocol/); the arguments are checked against the tool's
 * own input schema. `inputResponses` / `requestState` are read only in the modern era.
 */
export class ToolsCallParams extends CallToolRequestParams {}
