import { inject } from 'tsyringe';
import { LOGGER, type Logger } from '../logging/logger';
import { ToolRegistry, type CallToolResult } from '../mcp/tool-registry';
import { isAgentwireError } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ToolsCallParams } from './tools-call.params';

/**
 * `tools/call`: dispatched by tool name after the arguments pass the tool's schema. An unknown
 * tool or bad arguments are -32602; a failure while the tool runs is an `isError` result
 * (MCP 2025-06-18, WIRE.md §4.2).
 */
@Method('tools/call', { params: ToolsCallParams, paramsRequired: true })
export class ToolsCallHandler implements Handler<ToolsCallParams, CallToolResult> {
  constructor(
    private readonly tools: ToolRegistry,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(params: ToolsCallParams, ctx: RequestContext): Promise<CallToolResult> {
    const args = params.arguments ?? {};
    this.tools.validateArguments(params.name, args);
    const tool = this.tools.get(params.name)!;
    const token = ctx.meta?.progressToken;
    const progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
    try {
      return await tool.call(args, { ...ctx, progressToken });
    } catch (err) {
      if (isAgentwireError(err)) throw err;
      this.log.warn({ tool: params.name, err: (err as Error)?.message }, 'tool failed');
      const text = err instanceof Error ? err.message : 'the tool failed';
      return { content: [{ type: 'text', text }], isError: true };
    }
  }
}
