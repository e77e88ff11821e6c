import type { InputRequiredResult } from '../../protocol/mcp-2026';
import { ModernErrorCode } from '../../protocol/mcp-2026-names';
import { OutgoingNotification } from '../../protocol/methods';
import { AgentwireError, InvalidParamsError } from '../../router/errors';
import type { RequestContext } from '../../router/handler';
import type { CallToolResult, ToolCallContext, ToolDefinition } from '../tool-registry';
import { callDigest } from './request-state';
import { allowsFormElicitation, type RunLeg, type StateProblem, type SuspendedRun, type SuspendedRuns } from './suspended-runs';

const STATE_PROBLEMS: Record<StateProblem, string> = {
  invalid: 'requestState was not issued by this server process, or was altered',
  expired: 'requestState has expired',
  used: 'requestState was already used, or its tool call has ended',
  'foreign-call': 'requestState belongs to another tool call (same name and arguments are required)',
};

/**
 * `tools/call` in the modern era (MCP-2026.md §5): the tool runs as a SuspendedRun. Whenever its
 * turn needs an approval the call answers `input_required`; a retry with the answers and the
 * sealed `requestState` resumes the same turn. Events reach the client only as
 * `notifications/progress` of the request standing for the run, when it sent a progress token.
 */
export class ModernToolCall {
  constructor(
    private readonly runs: SuspendedRuns,
    private readonly invoke: (tool: ToolDefinition, args: Record<string, unknown>, ctx: ToolCallContext) => Promise<CallToolResult>,
  ) {}

  async call(
    tool: ToolDefinition,
    args: Record<string, unknown>,
    params: { requestState?: string; inputResponses?: Record<string, unknown> },
    ctx: RequestContext,
  ): Promise<CallToolResult | InputRequiredResult> {
    const capabilities = ctx.protocol?.era === 'modern' ? ctx.protocol.clientCapabilities : {};
    const leg = legOf(ctx, capabilities);
    const call = callDigest(tool.name, args);
    if (params.requestState !== undefined) {
      const verified = this.runs.verify(params.requestState, call);
      if ('problem' in verified) throw new InvalidParamsError(`Invalid params: ${STATE_PROBLEMS[verified.problem]}`, [`requestState: ${verified.problem}`]);
      // The run may ask again, so a retry must be able to receive an elicitation itself.
      if (!allowsFormElicitation(capabilities)) {
        throw new AgentwireError(ModernErrorCode.MissingRequiredClientCapability, 'Resuming this tool call requires the elicitation capability', {
          requiredCapabilities: { elicitation: { form: {} } },
        });
      }
      this.runs.resume(verified.run, verified.payload, leg, params.inputResponses);
      return this.answer(verified.run, ctx);
    }
    const run = this.runs.start(call, leg);
    const runCtx: ToolCallContext = {
      ...ctx,
      signal: run.signal,
      progressToken: undefined,
      runId: run.id,
      reportProgress: (message) => run.leg?.progress?.(message),
    };
    this.invoke(tool, args, runCtx).then(
      (result) => this.runs.settle(run, { result }),
      (error: unknown) => this.runs.settle(run, { error }),
    );
    return this.answer(run, ctx);
  }

  /** Waits for the run's next stop: its result, or the inputs it waits for. */
  private async answer(run: SuspendedRun, ctx: RequestContext): Promise<CallToolResult | InputRequiredResult> {
    // A cancel of the request standing for the run aborts the run's turn; nothing more is sent for
    // that request (no progress, and the router drops its reply: `stdio.mdx`, "Cancellation").
    const onCancel = () => {
      run.leg = undefined;
      run.abort(new Error('cancelled by the client'));
    };
    if (ctx.signal.aborted) onCancel();
    else ctx.signal.addEventListener('abort', onCancel, { once: true });
    try {
      await run.nextStop();
    } finally {
      ctx.signal.removeEventListener('abort', onCancel);
    }
    if (!run.outcome) return this.runs.suspend(run);
    this.runs.end(run);
    if ('error' in run.outcome) throw run.outcome.error;
    return finalResult(run.outcome.result, run.denials);
  }
}

function legOf(ctx: RequestContext, capabilities: Record<string, unknown>): RunLeg {
  const token = ctx.meta?.progressToken;
  if (typeof token !== 'string' && typeof token !== 'number') return { capabilities };
  let progress = 0;
  return {
    capabilities,
    // Progress belongs to this leg only: it ends with the leg's response (`progress.mdx`).
    progress: (message) => ctx.outgoing.notify(OutgoingNotification.progress, { progressToken: token, progress: ++progress, message }),
  };
}

/** The tool's result, with why approvals were denied unasked, and `structuredContent` mirrored as text (`tools.mdx` SHOULD). */
export function finalResult(result: CallToolResult, denials: string[]): CallToolResult {
  const content = [...result.content];
  for (const problem of new Set(denials)) content.push({ type: 'text', text: `approval treated as denied: ${problem}` });
  if (result.structuredContent !== undefined) content.push({ type: 'text', text: JSON.stringify(result.structuredContent) });
  return { ...result, content };
}
