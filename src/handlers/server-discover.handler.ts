import type { DiscoverResult } from '../protocol/mcp-2026';
import { ALL_PROTOCOL_VERSIONS } from '../protocol/mcp-2026-names';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { LIST_TTL_MS } from '../mcp/era/era-gate';
import { IncomingRequest } from '../protocol/methods';
import { TASKS_EXTENSION } from '../tasks/task-shapes';

/** Guidance for a model using agentwire's tools (not a copy of their descriptions). */
const INSTRUCTIONS =
  '`codex` runs a coding agent on a prompt in a working directory (shell commands and patches, with approvals asked of the user) ' +
  'and returns its final message and a sessionId; `codex-reply` continues that session with a new prompt.';

/**
 * `server/discover` (MCP 2026-07-28): the versions, capabilities and instructions of this server.
 * The EraGate admits it only on an undecided or modern connection; a handshake-era one gets -32601.
 */
// Its params hold only `_meta` (checked by the EraGate), so no params class: any other member is ignored.
@Method(IncomingRequest.serverDiscover)
export class ServerDiscoverHandler implements Handler<unknown, DiscoverResult> {
  handle(): DiscoverResult {
    return {
      resultType: 'complete',
      supportedVersions: [...ALL_PROTOCOL_VERSIONS],
      capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, extensions: { [TASKS_EXTENSION]: {} } },
      instructions: INSTRUCTIONS,
      ttlMs: LIST_TTL_MS,
      cacheScope: 'public',
    };
  }
}
