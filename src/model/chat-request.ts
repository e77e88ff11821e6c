import type { ContentItem, FunctionCallItem, ResponseItem } from '../protocol/items';
import type { JsonSplice } from './kept-json';
import type { ModelRequest, ModelTool } from './model-events';
import { HistoryElements } from './wire-json';

/** One Chat Completions tool call as it appears in an assistant message. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A Chat Completions message in the shapes codex 0.29 sends (WIRE.md §9). */
export type ChatMessage =
  | { role: 'system' | 'user' | 'assistant' | 'developer'; content: string }
  | { role: 'assistant'; content: null; tool_calls: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A Chat Completions tool definition. */
export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; strict: boolean; parameters: Record<string, unknown> };
}

/** The body of `POST <base>/chat/completions`. */
export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  stream: true;
  tools: ChatTool[];
}

/**
 * Builds the Chat Completions request body for one sampling step, as codex 0.29 sends it
 * (transcripts/provider-requests.json).
 *
 * The body has exactly the keys `model`, `messages`, `stream`, `tools`: 0.29 never sends
 * `stream_options`, `max_tokens`, reasoning or verbosity to a chat provider (CONFIG.md §3), and
 * some OpenAI-compatible servers reject keys they do not know, so none are added here.
 */
export function buildChatBody(req: ModelRequest): ChatBody {
  const messages: ChatMessage[] = [{ role: 'system', content: req.instructions }];
  // The assistant message currently collecting tool calls; any other item ends it.
  let pendingCalls: ChatToolCall[] | undefined;

  for (const item of req.input) {
    if (item.type === 'function_call') {
      const call = toChatToolCall(item);
      if (pendingCalls) {
        pendingCalls.push(call);
      } else {
        pendingCalls = [call];
        messages.push({ role: 'assistant', content: null, tool_calls: pendingCalls });
      }
      continue;
    }
    pendingCalls = undefined;
    const message = toChatMessage(item);
    if (message) messages.push(message);
  }

  return { model: req.model, messages, stream: true, tools: req.tools.map(toChatTool) };
}

/** A chat body whose history messages are kept JSON (a JsonSplice, for jsonBody only). */
export type ChatWireBody = Omit<ChatBody, 'messages'> & { messages: Array<ChatMessage | JsonSplice> };

/**
 * The kept chat messages of each history (wire-json.ts): every item up to a run of function calls
 * at the history's end, which a later item could still make longer (0.29 groups a run into one
 * assistant message).
 */
export function chatHistoryMessages(): HistoryElements {
  return new HistoryElements((items, from, kept) => {
    let i = from;
    while (i < items.length) {
      const item = items[i];
      if (item.type === 'function_call') {
        const end = runEnd(items, i);
        if (end === items.length) break;
        kept.text(JSON.stringify(assistantCalls(items.slice(i, end) as FunctionCallItem[])));
        i = end;
        continue;
      }
      const message = toChatMessage(item);
      if (message) kept.text(JSON.stringify(message));
      i++;
    }
    return i;
  });
}

/**
 * The body of {@link buildChatBody}, with the history's messages kept from request to request
 * (`kept`, from {@link chatHistoryMessages}): jsonBody of it is exactly the text of
 * buildChatBody's, but a request serializes and allocates only for the items that are new since
 * the last one.
 */
export function buildChatWireBody(req: ModelRequest, kept: HistoryElements): ChatWireBody {
  const body: ChatWireBody = buildChatBody({ ...req, input: [] });
  const items = req.input;
  const { splice, covered } = kept.of(items);
  body.messages.push(splice);
  // Only a run of function calls at the end is left: one assistant message, made afresh.
  if (covered < items.length) body.messages.push(assistantCalls(items.slice(covered) as FunctionCallItem[]));
  return body;
}

/** The end of the run of function calls that starts at `start`. */
function runEnd(items: readonly ResponseItem[], start: number): number {
  let end = start + 1;
  while (end < items.length && items[end].type === 'function_call') end++;
  return end;
}

function toChatToolCall(item: FunctionCallItem): ChatToolCall {
  return { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
}

/** Consecutive function calls: one assistant message, as buildChatBody groups them. */
function assistantCalls(calls: FunctionCallItem[]): ChatMessage {
  return { role: 'assistant', content: null, tool_calls: calls.map(toChatToolCall) };
}

function toChatMessage(item: Exclude<ResponseItem, { type: 'function_call' }>): ChatMessage | undefined {
  switch (item.type) {
    case 'message':
      return { role: item.role, content: joinText(item.content) };
    case 'function_call_output':
      return { role: 'tool', tool_call_id: item.call_id, content: item.output };
    case 'reasoning':
      // Chat providers have no way to take reasoning back; 0.29 leaves it out.
      return undefined;
  }
}

/** Chat content is one string; 0.29 concatenates the text parts and drops images. */
function joinText(content: ContentItem[]): string {
  const parts: string[] = [];
  for (const part of content) {
    if (part.type === 'input_text' || part.type === 'output_text') parts.push(part.text);
  }
  return parts.join('');
}

function toChatTool(tool: ModelTool): ChatTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      strict: tool.strict ?? false,
      parameters: tool.parameters,
    },
  };
}
