import { ToolRegistry } from '../mcp/tool-registry';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ToolsListParams } from '../protocol/mcp';
import { IncomingRequest } from '../protocol/methods';

/** `tools/list`: the tools plugins registered, a page at a time. */
@Method(IncomingRequest.toolsList)
export class ToolsListHandler implements Handler<ToolsListParams> {
  constructor(private readonly tools: ToolRegistry) {}

  handle(params: ToolsListParams) {
    return this.tools.list(params.cursor);
  }
}
