import type { EventSourceMessage } from 'eventsource-parser';
import type { ContentItem, ReasoningItem, ResponseItem, TokenUsage } from '../protocol/items';
import { ModelStreamError, type ModelEvent } from './model-events';
import { decodeSseBatches, DISCONNECTED_PREFIX, parseJson, type SseDecoder, type SseReadOptions } from './sse';

/**
 * Parses a streaming Responses API body into model events, the events of each network chunk
 * together: deltas as they arrive, one `item` per `response.output_item.done`, and `completed`
 * at `response.completed`. A `response.failed` or `error` event, or a body that ends before
 * `response.completed`, throws a {@link ModelStreamError} (retryable unless the error names a
 * cause retrying cannot fix).
 */
export function parseResponsesStreamBatches(body: ReadableStream<Uint8Array>, options?: SseReadOptions): AsyncGenerator<ModelEvent[]> {
  return decodeSseBatches(body, new ResponsesDecoder(), options);
}

/** Error codes for which sending the same request again is pointless. */
const FINAL_ERROR_CODES = new Set(['context_length_exceeded', 'insufficient_quota', 'invalid_prompt', 'invalid_request_error', 'invalid_api_key', 'model_not_found']);

class ResponsesDecoder implements SseDecoder {
  message(msg: EventSourceMessage, out: ModelEvent[]): boolean {
    const data = parseJson(msg.data);
    if (!data || typeof data !== 'object') return false;
    // `type` in the payload is authoritative; the SSE `event:` line is only a fallback for
    // servers that leave it out of the JSON.
    const type: unknown = data.type ?? msg.event;
    switch (type) {
      case 'response.output_text.delta':
        if (typeof data.delta === 'string') out.push({ type: 'text_delta', delta: data.delta });
        return false;
      case 'response.reasoning_summary_text.delta':
        if (typeof data.delta === 'string') out.push({ type: 'reasoning_summary_delta', delta: data.delta });
        return false;
      case 'response.reasoning_text.delta':
        if (typeof data.delta === 'string') out.push({ type: 'reasoning_raw_delta', delta: data.delta });
        return false;
      case 'response.output_item.done': {
        const item = toResponseItem(data.item);
        if (item) out.push({ type: 'item', item });
        return false;
      }
      case 'response.completed': {
        const usage = data.response?.usage;
        out.push(usage && typeof usage === 'object' ? { type: 'completed', usage: responsesUsage(usage) } : { type: 'completed' });
        return true;
      }
      case 'response.failed':
        throw streamError(data.response?.error, 'response.failed event received');
      case 'response.incomplete': {
        const reason = data.response?.incomplete_details?.reason;
        throw new ModelStreamError(`${DISCONNECTED_PREFIX}Incomplete response returned, reason: ${typeof reason === 'string' ? reason : 'unknown'}`, true);
      }
      case 'error':
        throw streamError(data.error ?? data, 'error event received');
      default:
        return false;
    }
  }

  end(finished: boolean): void {
    if (!finished) {
      throw new ModelStreamError(`${DISCONNECTED_PREFIX}stream closed before response.completed`, true);
    }
  }
}

/**
 * Maps an output item onto our history types. Kinds our history has no place for (web search,
 * hosted tools) are dropped, as are malformed items.
 */
function toResponseItem(raw: any): ResponseItem | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const id = typeof raw.id === 'string' ? raw.id : null;
  switch (raw.type) {
    case 'message': {
      const content: ContentItem[] = [];
      for (const part of Array.isArray(raw.content) ? raw.content : []) {
        if (!part || typeof part !== 'object') continue;
        if ((part.type === 'output_text' || part.type === 'input_text') && typeof part.text === 'string') {
          content.push({ type: part.type, text: part.text });
        } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
          // Our history has no refusal part; as text the user at least sees why.
          content.push({ type: 'output_text', text: part.refusal });
        }
      }
      const role = raw.role === 'user' || raw.role === 'system' || raw.role === 'developer' ? raw.role : 'assistant';
      return { type: 'message', id, role, content };
    }
    case 'function_call':
      if (typeof raw.name !== 'string' || typeof raw.call_id !== 'string') return undefined;
      return {
        type: 'function_call',
        id,
        name: raw.name,
        arguments: typeof raw.arguments === 'string' ? raw.arguments : JSON.stringify(raw.arguments ?? {}),
        call_id: raw.call_id,
      };
    case 'reasoning': {
      const summary: Array<{ type: 'summary_text'; text: string }> = [];
      for (const s of Array.isArray(raw.summary) ? raw.summary : []) {
        if (s && typeof s.text === 'string') summary.push({ type: 'summary_text', text: s.text });
      }
      const item: ReasoningItem = { type: 'reasoning', id, summary };
      if (Array.isArray(raw.content)) {
        item.content = raw.content.filter((c: any) => c && typeof c.text === 'string').map((c: any) => ({ type: 'reasoning_text' as const, text: c.text as string }));
      }
      if (typeof raw.encrypted_content === 'string') item.encrypted_content = raw.encrypted_content;
      return item;
    }
    default:
      return undefined;
  }
}

function responsesUsage(u: any): TokenUsage {
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(u.input_tokens_details?.cached_tokens),
    output_tokens: output,
    reasoning_output_tokens: num(u.output_tokens_details?.reasoning_tokens),
    total_tokens: typeof u.total_tokens === 'number' ? u.total_tokens : input + output,
  };
}

/** Builds the error for a failure the stream reported, keeping any wait the server asked for. */
function streamError(error: any, fallback: string): ModelStreamError {
  const message = error && typeof error.message === 'string' && error.message !== '' ? error.message : fallback;
  const code = error?.code ?? error?.type;
  const explicit = typeof error?.retryable === 'boolean' ? error.retryable : undefined;
  const retryable = explicit ?? !(typeof code === 'string' && FINAL_ERROR_CODES.has(code));
  return new ModelStreamError(DISCONNECTED_PREFIX + message, retryable, retryHint(message));
}

/** Rate-limit failures say "Please try again in 1.2s" (or "in 350ms") instead of a header. */
function retryHint(message: string): number | undefined {
  const match = /try again in\s+(\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2].toLowerCase() === 'ms' ? value : value * 1000;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
