import { finalResult } from '../mcp/mrtr/modern-tool-call';
import type { CallToolResult, ToolCallContext, ToolDefinition } from '../mcp/tool-registry';
import { isAgentwireError, toWireError } from '../router/errors';
import type { RequestContext } from '../router/handler';
import { handshakeTask, modernTask } from './task-shapes';
import { statusLine } from './status-line';
import type { LiveTask, TaskStore } from './task-store';

type Invoke = (tool: ToolDefinition, args: Record<string, unknown>, ctx: ToolCallContext) => Promise<CallToolResult>;

/**
 * A `tools/call` answered with a task handle instead of its result (both eras): the tool starts
 * under the task's own signal (not the request's, which ends with the handle) while the task is
 * written to disk, and the handle goes back as soon as it is written. Its end becomes the task's
 * final state: `completed` with the result a plain call of the same era would have returned, or
 * `failed` with the JSON-RPC error a plain call would have got.
 */
export class TaskToolCall {
  constructor(
    private readonly store: TaskStore,
    private readonly invoke: Invoke,
  ) {}

  async start(tool: ToolDefinition, args: Record<string, unknown>, ctx: RequestContext, ttlMs?: number | null): Promise<Record<string, unknown>> {
    const modern = ctx.protocol?.era === 'modern';
    const { task, recorded } = this.store.register({
      era: modern ? 'modern' : 'handshake',
      tool: tool.name,
      ttlMs,
      capabilities: ctx.protocol?.era === 'modern' ? ctx.protocol.clientCapabilities : {},
    });
    const runCtx: ToolCallContext = {
      ...ctx,
      signal: task.controller.signal,
      progressToken: undefined,
      runId: undefined,
      taskId: task.record.taskId,
      // No event notifications for a task: what the agent does shows as the task's statusMessage.
      reportProgress: (line) => this.store.setMessage(task, statusLine(line)),
    };
    // The handle shows the task as it is being written (`working`): a fast run may have moved on
    // by the time the write is done, and its later states follow as notifications and tasks/get.
    const handle = modern ? { resultType: 'task', ...modernTask(task.record) } : { task: handshakeTask(task.record) };
    // The run starts while the task is being written; the handle goes back once it is written
    // (TaskStore.register: a task that cannot be written fails the call and its run is aborted).
    void this.run(task, tool, args, runCtx, modern);
    await recorded;
    return handle;
  }

  private async run(task: LiveTask, tool: ToolDefinition, args: Record<string, unknown>, ctx: ToolCallContext, modern: boolean): Promise<void> {
    try {
      const result = await this.invoke(tool, args, ctx);
      await this.store.finish(task, { status: 'completed', result: modern ? finalResult(result, task.denials) : result });
    } catch (err) {
      const error = isAgentwireError(err) ? toWireError(err) : { code: -32603, message: err instanceof Error ? err.message : 'the tool failed' };
      await this.store.finish(task, { status: 'failed', error });
    } finally {
      this.store.released(task);
    }
  }
}
