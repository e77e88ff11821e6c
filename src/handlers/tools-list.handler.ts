import { ToolRegistry } from '../mcp/tool-registry';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ToolsListParams } from './tools-list.params';

/** `tools/list`: the tools plugins registered, a page at a time. */
@Method('tools/list', { params: ToolsListParams })
export class ToolsListHandler implements Handler<ToolsListParams> {
  constructor(private readonly tools: ToolRegistry) {}

  handle(params: ToolsListParams) {
    return this.tools.list(params.cursor);
  }
}
