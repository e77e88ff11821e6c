import { ClientSession } from '../mcp/client-session';
import { TASKS_PROTOCOL_VERSION } from '../mcp/server-info';
import { ToolRegistry } from '../mcp/tool-registry';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ToolsListParams } from '../protocol/mcp';
import { IncomingRequest } from '../protocol/methods';

/** `tools/list`: the tools plugins registered, a page at a time (with `execution.taskSupport` for 2025-11-25 clients). */
@Method(IncomingRequest.toolsList)
export class ToolsListHandler implements Handler<ToolsListParams> {
  constructor(
    private readonly tools: ToolRegistry,
    private readonly session: ClientSession,
  ) {}

  handle(params: ToolsListParams) {
    return this.tools.list(params.cursor, { execution: this.session.negotiated(TASKS_PROTOCOL_VERSION) });
  }
}
