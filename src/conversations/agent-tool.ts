import type { ConversationSettings } from '../config/conversation-settings';
import type { ModelTool } from '../model/model-events';
import type { EventMsg } from '../protocol/events';
import type { FunctionCallItem, ResponseItem } from '../protocol/items';

/** The settings one turn runs with: the conversation's, with `sendUserTurn` overrides applied. */
export type TurnSettings = ConversationSettings;

/** What a tool sees of the turn that called it. */
export interface TurnContext {
  readonly conversationId: string;
  /** The submission id of the turn (events carry it). */
  readonly submissionId: string;
  readonly settings: TurnSettings;
  /** Aborted when the turn is interrupted or the server shuts down: stop, kill processes. */
  readonly signal: AbortSignal;
  /** How the turn was started: `codex` tool runs ask approvals with `elicitation/create`. */
  readonly origin: TurnOrigin;
  emit(msg: EventMsg): void;
  /** Takes the next submission id of the conversation (every approval answer takes one, WIRE.md §6.1). */
  takeSubmissionId(): string;
  /** Exact argv (JSON) approved with `approved_for_session` in this conversation. */
  readonly approvedForSession: Set<string>;
  /** Adds items to the history the next model request of this turn sees (view_image). */
  addInput(items: ResponseItem[]): void;
  /** Per-turn state tools keep between calls (the turn's diff tracker, say). */
  readonly state: Map<symbol, unknown>;
  /** Runs before the turn's `task_complete` (a final `turn_diff`, say). */
  beforeComplete(fn: () => Promise<void> | void): void;
}

/**
 * Who started a turn: a conversation method, or a `tools/call` of the `codex` tools (the codex tool
 * issue); `runId` names the SuspendedRun of a modern-era call (approvals become `input_required`).
 */
export type TurnOrigin = { kind: 'conversation' } | { kind: 'tool-call'; requestId: string | number; runId?: string };

/** A function the model may call during a turn (shell, apply_patch, update_plan, view_image, ...). */
export interface AgentTool {
  readonly name: string;
  /** Position among the offered tools (0.29's order: shell 10, update_plan 20, view_image 30). */
  readonly order: number;
  /** The tool as offered to the model this turn, or undefined when it is not offered. */
  spec(settings: TurnSettings): ModelTool | undefined;
  /** Runs a call and returns the output text for the model. Throws TurnAbortedError to end the turn. */
  handle(call: FunctionCallItem, ctx: TurnContext): Promise<string>;
}

export class DuplicateAgentToolError extends Error {
  readonly code = 'AW_AGENT_TOOL_DUPLICATE';
  constructor(name: string, first: string, second: string) {
    super(`agent tool ${name} is registered by both ${first} and ${second}`);
  }
}

/** The functions offered to the model, filled by plugins. */
export class AgentToolRegistry {
  private readonly tools = new Map<string, { tool: AgentTool; owner: string }>();
  private sorted: AgentTool[] = [];

  add(tool: AgentTool, owner: string): void {
    const existing = this.tools.get(tool.name);
    if (existing) throw new DuplicateAgentToolError(tool.name, existing.owner, owner);
    this.tools.set(tool.name, { tool, owner });
    this.sorted = [...this.tools.values()].map((t) => t.tool).sort((a, b) => a.order - b.order);
  }

  get(name: string): AgentTool | undefined {
    return this.tools.get(name)?.tool;
  }

  /** The tool specs offered in a turn, in order. */
  specs(settings: TurnSettings): ModelTool[] {
    const out: ModelTool[] = [];
    for (const tool of this.sorted) {
      const spec = tool.spec(settings);
      if (spec) out.push(spec);
    }
    return out;
  }
}
