import { inject } from 'tsyringe';
import { LOGGER, type Logger } from '../logging/logger';
import { ModernToolCall } from '../mcp/mrtr/modern-tool-call';
import { SuspendedRuns } from '../mcp/mrtr/suspended-runs';
import { ToolRegistry, type CallToolResult, type ToolCallContext, type ToolDefinition } from '../mcp/tool-registry';
import type { InputRequiredResult } from '../protocol/mcp-2026';
import { isAgentwireError, InvalidParamsError, MethodNotFoundError } from '../router/errors';
import { declaresTasks } from '../tasks/task-shapes';
import { TaskStore } from '../tasks/task-store';
import { TaskToolCall } from '../tasks/task-tool-call';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { CallToolRequestParams as ToolsCallParams } from '../protocol/mcp-2026';
import { IncomingRequest } from '../protocol/methods';

/**
 * `tools/call`: dispatched by tool name after the arguments pass the tool's schema. An unknown
 * tool or bad arguments are -32602; a failure while the tool runs is an `isError` result
 * (MCP 2025-06-18, WIRE.md §4.2). In the modern era the call runs as a multi round-trip request
 * (ModernToolCall), the one place where the work of a handler differs between eras. A call the
 * client wants as a task (either era, `taskWanted`) returns a task handle instead (src/tasks/).
 */
@Method(IncomingRequest.toolsCall)
export class ToolsCallHandler implements Handler<ToolsCallParams, CallToolResult | InputRequiredResult | Record<string, unknown>> {
  constructor(
    private readonly tools: ToolRegistry,
    private readonly runs: SuspendedRuns,
    private readonly tasks: TaskStore,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(params: ToolsCallParams, ctx: RequestContext): Promise<CallToolResult | InputRequiredResult | Record<string, unknown>> {
    const args = params.arguments ?? {};
    this.tools.validateArguments(params.name, args);
    const tool = this.tools.get(params.name)!;
    const asTask = taskWanted(params, ctx, tool);
    if (asTask) return new TaskToolCall(this.tasks, (t, a, c) => this.invoke(t, a, c)).start(tool, args, ctx, asTask.ttlMs);
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

/**
 * Whether this call runs as a task (issue 13). Modern era: the server decides, for a task-capable
 * tool, when this request declared the tasks extension (a multi round-trip retry continues its
 * run instead). Handshake era (2025-11-25): when the client asked with `params.task`; a tool
 * without task support refuses that with -32601.
 */
function taskWanted(params: ToolsCallParams, ctx: RequestContext, tool: ToolDefinition): { ttlMs?: number } | undefined {
  if (ctx.protocol?.era === 'modern') {
    if (params.requestState !== undefined || tool.taskSupport === undefined) return undefined;
    return declaresTasks(ctx.protocol.clientCapabilities) ? {} : undefined;
  }
  if (params.task === undefined) return undefined;
  if (tool.taskSupport === undefined) throw new MethodNotFoundError(`tools/call as a task (tool ${tool.name} does not support task-augmented execution)`);
  const ttl = params.task.ttl;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    throw new InvalidParamsError('Invalid params: task.ttl must be a non-negative number of milliseconds', ['task.ttl: must be a non-negative number']);
  }
  return { ttlMs: ttl };
}
