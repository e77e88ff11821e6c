import { formatEnvironmentContext } from '../config/instructions';
import { networkEnabled } from '../config/conversation-settings';
import type { ModelRequest } from '../model/model-events';
import { ModelStreamError } from '../model/model-events';
import type { EventMsg } from '../protocol/events';
import { type FunctionCallItem, type ResponseItem, messageText } from '../protocol/items';
import type { AgentToolRegistry, TurnContext, TurnOrigin, TurnSettings } from './agent-tool';
import { TurnAbortedError } from './errors';
import type { ModelGateway } from './model-gateway';

/** What a turn needs from its conversation. */
export interface TurnHost {
  readonly id: string;
  /** The model history, shared by all turns of the conversation. */
  readonly history: ResponseItem[];
  readonly approvedForSession: Set<string>;
  record(items: ResponseItem[]): void;
  takeSubmissionId(): string;
}

export interface TurnOutcome {
  kind: 'completed' | 'aborted' | 'failed';
  lastAgentMessage: string | null;
  error?: string;
}

/**
 * One turn: user input in, then model requests and tool calls until the model answers without
 * calling a tool and no injected input is waiting. Every step is reported as an event; an
 * interrupt ends it with `turn_aborted`, a provider failure with `error` then `task_complete`.
 */
export class Turn {
  private readonly controller = new AbortController();
  private readonly pending: ResponseItem[] = [];
  /** Set once the turn takes no more input; later input starts a new turn. */
  private closedToInput = false;
  private readonly state = new Map<symbol, unknown>();
  private readonly completionHooks: Array<() => Promise<void> | void> = [];
  readonly done: Promise<TurnOutcome>;
  /** The user's text of this turn, injected input included (config `notify` reports it). */
  readonly inputMessages: string[] = [];

  constructor(
    private readonly host: TurnHost,
    readonly submissionId: string,
    readonly settings: TurnSettings,
    input: ResponseItem[],
    readonly origin: TurnOrigin,
    private readonly emitEvent: (id: string, msg: EventMsg) => void,
    private readonly deps: { model: ModelGateway; tools: AgentToolRegistry; onError: (err: unknown) => void },
    private readonly after: Promise<unknown> = Promise.resolve(),
  ) {
    this.pending.push(...input);
    this.noteInput(input);
    this.done = this.run();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Input sent while the turn runs joins it: the next model request of this turn carries it. False once it ended. */
  inject(items: ResponseItem[]): boolean {
    if (this.closedToInput) return false;
    this.pending.push(...items);
    this.noteInput(items);
    return true;
  }

  private noteInput(items: ResponseItem[]): void {
    for (const item of items) if (item.type === 'message') this.inputMessages.push(messageText(item));
  }

  abort(reason: 'interrupted' | 'replaced' = 'interrupted'): void {
    if (!this.controller.signal.aborted) this.controller.abort(new TurnAbortedError(reason));
  }

  private emit(msg: EventMsg): void {
    this.emitEvent(this.submissionId, msg);
  }

  private async run(): Promise<TurnOutcome> {
    // Let the caller's reply (and its own bookkeeping) go out before the first event.
    // A turn submitted while the previous one was closing starts once that one has ended.
    await this.after;
    this.emit({ type: 'task_started', model_context_window: this.settings.modelContextWindow });
    let lastAgentMessage: string | null = null;
    const unanswered: FunctionCallItem[] = [];
    try {
      for (;;) {
        this.throwIfAborted();
        this.takePending();
        const calls: FunctionCallItem[] = [];
        const text = await this.sample(calls);
        if (text !== null) lastAgentMessage = text;
        unanswered.push(...calls);
        for (const call of calls) {
          this.throwIfAborted();
          const output = await this.runTool(call);
          this.throwIfAborted();
          this.addToHistory([{ type: 'function_call_output', call_id: call.call_id, output }]);
          unanswered.splice(unanswered.indexOf(call), 1);
        }
        if (calls.length > 0 || this.pending.length > 0) continue;
        // Final hooks (the last turn_diff) may await; input that arrives meanwhile still joins
        // this turn, which then asks the model once more.
        for (const hook of this.completionHooks) await hook();
        if (this.pending.length === 0) break;
      }
      this.closedToInput = true;
      // What the turn added is on disk before the client hears it is complete: the event log
      // appends task_complete's record after it and writes both in one append (EventLog.append),
      // one file write at the end of a turn instead of two.
      this.emit({ type: 'task_complete', last_agent_message: lastAgentMessage });
      return { kind: 'completed', lastAgentMessage };
    } catch (err) {
      this.closedToInput = true;
      const aborted = this.controller.signal.aborted ? (this.controller.signal.reason as unknown) : err;
      if (aborted instanceof TurnAbortedError) {
        // Every call the model made gets an output, or the next request of the conversation would
        // carry a tool call without its result, which providers refuse.
        if (unanswered.length > 0) {
          this.addToHistory(unanswered.map((call) => ({ type: 'function_call_output' as const, call_id: call.call_id, output: 'aborted' })));
        }
        // On disk with turn_aborted's own record, in one append (EventLog.append).
        this.emit({ type: 'turn_aborted', reason: aborted.reason });
        return { kind: 'aborted', lastAgentMessage: null };
      }
      const message = err instanceof ModelStreamError ? err.message : errorText(err);
      if (!(err instanceof ModelStreamError)) this.deps.onError(err);
      // On disk with the error's own record before it is sent (EventLog.append flushes at turn ends).
      this.emit({ type: 'error', message });
      // A codex tool call learns of the failure from its result; 0.29 sends no task_complete there (WIRE.md §7).
      if (this.origin.kind !== 'tool-call') this.emit({ type: 'task_complete', last_agent_message: null });
      return { kind: 'failed', lastAgentMessage: null, error: message };
    }
  }

  /** One model request; streams deltas as events and returns the assistant text, collecting tool calls. */
  private async sample(calls: FunctionCallItem[]): Promise<string | null> {
    const s = this.settings;
    const request: ModelRequest = {
      model: s.model,
      instructions: s.baseInstructions,
      input: this.host.history,
      tools: this.deps.tools.specs(s),
      conversationId: this.host.id,
      store: !s.disableResponseStorage,
      reasoning: { effort: s.reasoningEffort, summary: s.reasoningSummary },
      verbosity: s.verbosity,
    };
    const showReasoning = !s.hideAgentReasoning;
    const showRaw = s.showRawAgentReasoning && showReasoning;
    let text: string | null = null;
    // Items of the attempt in progress: a retried attempt starts the response again, so they
    // count only once the attempt completes (the model client signals a retry through onRetry).
    let attempt: ResponseItem[] = [];
    const onRetry = (message: string) => {
      attempt = [];
      this.emit({ type: 'stream_error', message });
    };
    for await (const batch of this.deps.model.stream(request, s.provider, this.controller.signal, onRetry)) {
      this.throwIfAborted();
      for (const event of batch) {
        switch (event.type) {
          case 'text_delta':
            this.emit({ type: 'agent_message_delta', delta: event.delta });
            break;
          case 'reasoning_summary_delta':
            if (showReasoning) this.emit({ type: 'agent_reasoning_delta', delta: event.delta });
            break;
          case 'reasoning_raw_delta':
            if (showRaw) this.emit({ type: 'agent_reasoning_raw_content_delta', delta: event.delta });
            break;
          case 'item':
            attempt.push(event.item);
            break;
          case 'completed':
            this.addToHistory(attempt);
            for (const item of attempt) {
              if (item.type === 'message' && item.role === 'assistant') {
                text = messageText(item);
                this.emit({ type: 'agent_message', message: text });
              } else if (item.type === 'reasoning') {
                const summary = item.summary.map((p) => p.text).join('');
                if (showReasoning && summary) this.emit({ type: 'agent_reasoning', text: summary });
                const raw = (item.content ?? []).map((p) => p.text).join('');
                if (showRaw && raw) this.emit({ type: 'agent_reasoning_raw_content', text: raw });
              } else if (item.type === 'function_call') {
                calls.push(item);
              }
            }
            attempt = [];
            if (event.usage) this.emit({ type: 'token_count', ...event.usage });
            break;
        }
      }
    }
    return text;
  }

  private async runTool(call: FunctionCallItem): Promise<string> {
    const tool = this.deps.tools.get(call.name);
    if (!tool || !tool.spec(this.settings)) return `unsupported call: ${call.name}`;
    const ctx: TurnContext = {
      conversationId: this.host.id,
      submissionId: this.submissionId,
      settings: this.settings,
      signal: this.controller.signal,
      origin: this.origin,
      emit: (msg) => this.emit(msg),
      takeSubmissionId: () => this.host.takeSubmissionId(),
      approvedForSession: this.host.approvedForSession,
      addInput: (items) => this.pending.push(...items),
      state: this.state,
      beforeComplete: (fn) => this.completionHooks.push(fn),
    };
    try {
      return await tool.handle(call, ctx);
    } catch (err) {
      if (err instanceof TurnAbortedError || this.controller.signal.aborted) throw err instanceof TurnAbortedError ? err : this.controller.signal.reason;
      this.deps.onError(err);
      return `error: ${errorText(err)}`;
    }
  }

  private takePending(): void {
    if (this.pending.length === 0) return;
    this.addToHistory(this.pending.splice(0));
  }

  private addToHistory(items: ResponseItem[]): void {
    this.host.history.push(...items);
    this.host.record(items);
  }

  private throwIfAborted(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The environment-context item text of a turn's settings (used for the first items of a conversation). */
export function environmentContextText(s: TurnSettings): string {
  return formatEnvironmentContext({
    cwd: s.cwd,
    approvalPolicy: s.approvalPolicy,
    sandboxMode: s.sandboxPolicy.mode,
    networkAccess: networkEnabled(s.sandboxPolicy),
  });
}
