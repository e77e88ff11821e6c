import type { ResponseItem, TokenUsage } from '../protocol/items';

/**
 * What a model stream yields, whichever wire API it came from. The turn loop consumes these;
 * deltas are for live events, `item` carries each finished history item.
 */
export type ModelEvent =
  | { type: 'text_delta'; delta: string }
  | { type: 'reasoning_summary_delta'; delta: string }
  | { type: 'reasoning_raw_delta'; delta: string }
  | { type: 'item'; item: ResponseItem }
  | { type: 'completed'; usage?: TokenUsage };

/** A tool offered to the model, in the neutral shape both wire APIs are built from. */
export interface ModelTool {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

/** Everything one model request needs (the prompt of one sampling step of a turn). */
export interface ModelRequest {
  model: string;
  /** The system prompt / Responses `instructions`. */
  instructions: string;
  /** The whole history to send, in order (user-instructions and environment-context items first). */
  input: ResponseItem[];
  tools: ModelTool[];
  /** Responses API only (CONFIG.md §2): sent for reasoning model families. */
  reasoning?: { effort?: string; summary?: string };
  /** Responses API only, GPT-5 family. */
  verbosity?: string;
  /** Responses API `store` (false when disable_response_storage). */
  store?: boolean;
  /** Conversation id, sent as the `session_id` header and `prompt_cache_key` to the openai provider. */
  conversationId: string;
}

/** A provider failure the turn reports (`stream_error` while retrying, `error` when retries are spent). */
export class ModelStreamError extends Error {
  constructor(
    message: string,
    /** True when retrying may help (5xx, 429, dropped connection, idle timeout). */
    readonly retryable: boolean,
    /** Server-suggested wait before the next attempt, from Retry-After. */
    readonly retryAfterMs?: number,
    /** HTTP status when the failure was an HTTP answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelStreamError';
  }
}
