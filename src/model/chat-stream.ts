import type { EventSourceMessage } from 'eventsource-parser';
import type { FunctionCallItem, MessageItem, ReasoningItem, TokenUsage } from '../protocol/items';
import { ModelStreamError, type ModelEvent } from './model-events';
import { decodeSseBatches, DISCONNECTED_PREFIX, parseJson, type SseDecoder, type SseReadOptions } from './sse';

/**
 * Parses a streaming Chat Completions body into model events, the events of each network chunk
 * together (a generator step per event was a good part of the cost of a long stream).
 *
 * Deltas are yielded as they arrive (`text_delta`, `reasoning_raw_delta`). Chat has no item
 * boundaries on the wire, so the finished items come at the end, in the order 0.29 reports
 * them: the reasoning item, the assistant message, then one `function_call` per tool call; then
 * `completed`, with the usage of any chunk that carried one. A body that ends before both
 * `[DONE]` and a `finish_reason` throws a retryable {@link ModelStreamError}.
 */
export function parseChatStreamBatches(body: ReadableStream<Uint8Array>, options?: SseReadOptions): AsyncGenerator<ModelEvent[]> {
  return decodeSseBatches(body, new ChatDecoder(), options);
}

/** A tool call being reassembled from its `index`-keyed pieces. */
interface PartialCall {
  index: number;
  id?: string;
  name?: string;
  args: string[];
}

class ChatDecoder implements SseDecoder {
  private readonly text: string[] = [];
  private readonly reasoning: string[] = [];
  private readonly calls = new Map<number, PartialCall>();
  private usage: TokenUsage | undefined;
  private sawFinishReason = false;

  message(msg: EventSourceMessage, out: ModelEvent[]): boolean {
    if (msg.data.trim() === '[DONE]') return true;
    const chunk = parseJson(msg.data);
    if (!chunk || typeof chunk !== 'object') return false;

    // Some OpenAI-compatible servers report a mid-stream failure as a chunk with `error`.
    if (chunk.error) throw chatStreamError(chunk.error);
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = chatUsage(chunk.usage);

    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!choice || typeof choice !== 'object') return false;
    const delta = choice.delta;
    if (delta && typeof delta === 'object') {
      if (typeof delta.content === 'string' && delta.content !== '') {
        this.text.push(delta.content);
        out.push({ type: 'text_delta', delta: delta.content });
      }
      const reasoning = reasoningPiece(delta.reasoning) ?? reasoningPiece(delta.reasoning_content);
      if (reasoning) {
        this.reasoning.push(reasoning);
        out.push({ type: 'reasoning_raw_delta', delta: reasoning });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const piece of delta.tool_calls) this.mergeToolCall(piece);
      }
    }
    if (choice.finish_reason) this.sawFinishReason = true;
    return false;
  }

  end(finished: boolean, out: ModelEvent[]): void {
    if (!finished && !this.sawFinishReason) {
      throw new ModelStreamError(`${DISCONNECTED_PREFIX}stream closed before [DONE]`, true);
    }
    if (this.reasoning.length > 0) {
      const item: ReasoningItem = {
        type: 'reasoning',
        id: null,
        summary: [],
        content: [{ type: 'reasoning_text', text: this.reasoning.join('') }],
      };
      out.push({ type: 'item', item });
    }
    if (this.text.length > 0) {
      const item: MessageItem = {
        type: 'message',
        id: null,
        role: 'assistant',
        content: [{ type: 'output_text', text: this.text.join('') }],
      };
      out.push({ type: 'item', item });
    }
    // Index order, not arrival order: that is the order the model meant the calls in.
    const calls = [...this.calls.values()].sort((a, b) => a.index - b.index);
    for (const call of calls) {
      const item: FunctionCallItem = {
        type: 'function_call',
        id: null,
        name: call.name ?? '',
        arguments: call.args.join(''),
        call_id: call.id ?? `call_${call.index}`,
      };
      out.push({ type: 'item', item });
    }
    out.push(this.usage ? { type: 'completed', usage: this.usage } : { type: 'completed' });
  }

  private mergeToolCall(piece: any): void {
    if (!piece || typeof piece !== 'object') return;
    const index = typeof piece.index === 'number' ? piece.index : 0;
    let call = this.calls.get(index);
    if (!call) {
      call = { index, args: [] };
      this.calls.set(index, call);
    }
    // Identity normally comes once; some servers repeat it in every piece, so the first wins
    // rather than being concatenated.
    if (typeof piece.id === 'string' && piece.id !== '' && call.id === undefined) call.id = piece.id;
    const fn = piece.function;
    if (fn && typeof fn === 'object') {
      if (typeof fn.name === 'string' && fn.name !== '' && call.name === undefined) call.name = fn.name;
      if (typeof fn.arguments === 'string' && fn.arguments !== '') call.args.push(fn.arguments);
    }
  }
}

/** Reasoning deltas are a string on most servers, an object with `text` on a few. */
function reasoningPiece(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value && typeof value === 'object') {
    const text = (value as { text?: unknown; content?: unknown }).text ?? (value as { content?: unknown }).content;
    if (typeof text === 'string' && text !== '') return text;
  }
  return undefined;
}

function chatUsage(u: any): TokenUsage {
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(u.prompt_tokens_details?.cached_tokens),
    output_tokens: output,
    reasoning_output_tokens: num(u.completion_tokens_details?.reasoning_tokens),
    total_tokens: typeof u.total_tokens === 'number' ? u.total_tokens : input + output,
  };
}

function chatStreamError(error: unknown): ModelStreamError {
  const message =
    error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : JSON.stringify(error);
  return new ModelStreamError(DISCONNECTED_PREFIX + message, true);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
