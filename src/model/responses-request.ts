import type { ResponseItem } from '../protocol/items';
import type { JsonSplice } from './kept-json';
import type { ModelRequest, ModelTool } from './model-events';
import { hasImage, HistoryElements } from './wire-json';

/** A Responses API input item, as sent upstream (no item ids: 0.29 never sends them back). */
export type ResponsesInputItem =
  | { type: 'message'; role: string; content: Array<Record<string, unknown>> }
  | { type: 'function_call'; name: string; arguments: string; call_id: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | {
      type: 'reasoning';
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content: string | null;
    };

/** A Responses API tool definition (flat, unlike Chat's nested `function`). */
export interface ResponsesTool {
  type: 'function';
  name: string;
  description: string;
  strict: boolean;
  parameters: Record<string, unknown>;
}

/** The body of `POST <base>/responses`. */
export interface ResponsesBody {
  model: string;
  instructions: string;
  input: ResponsesInputItem[];
  tools: ResponsesTool[];
  tool_choice: 'auto';
  parallel_tool_calls: false;
  reasoning: { effort?: string; summary?: string } | null;
  store: boolean;
  stream: true;
  include: string[];
  prompt_cache_key: string;
  text?: { verbosity: string };
}

/**
 * Builds the Responses API request body for one sampling step, with the keys codex 0.29 sends
 * (CONFIG.md §3).
 */
export function buildResponsesBody(req: ModelRequest): ResponsesBody {
  const store = req.store ?? true;
  const body: ResponsesBody = {
    model: req.model,
    instructions: req.instructions,
    input: req.input.map(toResponsesItem),
    tools: req.tools.map(toResponsesTool),
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: req.reasoning ?? null,
    store,
    stream: true,
    // Without server-side storage the reasoning can only be carried to the next request
    // encrypted, so it has to be asked for explicitly.
    include: store ? [] : ['reasoning.encrypted_content'],
    prompt_cache_key: req.conversationId,
  };
  if (req.verbosity) body.text = { verbosity: req.verbosity };
  return body;
}

/** A responses body whose input items are kept JSON (a JsonSplice, for jsonBody only). */
export type ResponsesWireBody = Omit<ResponsesBody, 'input'> & { input: Array<ResponsesInputItem | JsonSplice> };

/**
 * The kept input items of each history (wire-json.ts), one per history item. A message with an
 * image is kept as its object and serialized afresh with each request rather than kept twice (its
 * data URL string is the history item's own).
 */
export function responsesHistoryItems(): HistoryElements {
  return new HistoryElements((items, from, kept) => {
    for (let i = from; i < items.length; i++) {
      const item = toResponsesItem(items[i]);
      if (hasImage(items[i])) kept.object(item);
      else kept.text(JSON.stringify(item));
    }
    return items.length;
  });
}

/**
 * The body of {@link buildResponsesBody}, with the history's input items kept from request to
 * request (`kept`, from {@link responsesHistoryItems}): jsonBody of it is exactly the text of
 * buildResponsesBody's, but a request serializes and allocates only for the items that are new
 * since the last one (and the image messages).
 */
export function buildResponsesWireBody(req: ModelRequest, kept: HistoryElements): ResponsesWireBody {
  const body: ResponsesWireBody = buildResponsesBody({ ...req, input: [] });
  body.input.push(kept.of(req.input).splice);
  return body;
}

function toResponsesItem(item: ResponseItem): ResponsesInputItem {
  switch (item.type) {
    case 'message':
      return { type: 'message', role: item.role, content: item.content.map((part) => ({ ...part })) };
    case 'function_call':
      return { type: 'function_call', name: item.name, arguments: item.arguments, call_id: item.call_id };
    case 'function_call_output':
      return { type: 'function_call_output', call_id: item.call_id, output: item.output };
    case 'reasoning':
      // Raw reasoning text (`content`) stays local: 0.29 sends back only the summary and the
      // encrypted blob, which is all the API accepts for a prior reasoning item.
      return {
        type: 'reasoning',
        summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })),
        encrypted_content: item.encrypted_content ?? null,
      };
  }
}

function toResponsesTool(tool: ModelTool): ResponsesTool {
  return {
    type: 'function',
    name: tool.name,
    description: tool.description,
    strict: tool.strict ?? false,
    parameters: tool.parameters,
  };
}
