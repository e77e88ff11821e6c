import { inject } from 'tsyringe';
import { LOGGER, type Logger } from '../logging/logger';
import { ModernToolCall } from '../mcp/mrtr/modern-tool-call';
import { SuspendedRuns } from '../mcp/mrtr/suspended-runs';
import { ToolRegistry, type CallToolResult, type ToolCallContext, type ToolDefinition } from '../mcp/tool-registry';
import type { InputRequiredResult } from '../protocol/mcp-2026';
import { isAgentwireError } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ToolsCallParams } from './tools-call.params';

/**
 * `tools/call`: dispatched by tool name after the arguments pass the tool's schema. An unknown
 * tool or bad arguments are -32602; a failure while the tool runs is an `isError` result
 * (MCP 2025-06-18, WIRE.md §4.2). In the modern era the call runs as a multi round-trip request
 * (ModernToolCall), the one place where the work of a handler differs between eras.
 */
@Method('tools/call', { params: ToolsCallParams, paramsRequired: true })
export class ToolsCallHandler implements Handler<ToolsCallParams, CallToolResult | InputRequiredResult> {
  constructor(
    private readonly tools: ToolRegistry,
    private readonly runs: SuspendedRuns,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(params: ToolsCallParams, ctx: RequestContext): Promise<CallToolResult | InputRequiredResult> {
    const args = params.arguments ?? {};
    this.tools.validateArguments(params.name, args);
    const tool = this.tools.get(params.name)!;
    if (ctx.protocol?.era === 'modern') {
      return new ModernToolCall(this.runs, (t, a, c) => this.invoke(t, a, c)).call(tool, args, params, ctx);
    }
    const token = ctx.meta?.progressToken;
    const progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
    return this.invoke(tool, args, { ...ctx, progressToken });
  }

  private async invoke(tool: ToolDefinition, args: Record<string, unknown>, ctx: ToolCallContext): Promise<CallToolResult> {
    try {
      return await tool.call(args, ctx);
    } catch (err) {
      if (isAgentwireError(err)) throw err;
      this.log.warn({ tool: tool.name, err: (err as Error)?.message }, 'tool failed');
      const text = err instanceof Error ? err.message : 'the tool failed';
      return { content: [{ type: 'text', text }], isError: true };
    }
  }
}
