/**
 * The model history, in Responses-API item shapes: what a conversation remembers, what the
 * rollout file records (WIRE.md §12), and what each wire API's request is built from.
 */
export type ContentItem = { type: 'input_text'; text: string } | { type: 'input_image'; image_url: string } | { type: 'output_text'; text: string };

export interface MessageItem {
  type: 'message';
  id?: string | null;
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: ContentItem[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id?: string | null;
  name: string;
  /** The arguments as the model sent them: JSON text. */
  arguments: string;
  call_id: string;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  /** The tool result text given back to the model (WIRE.md §9). */
  output: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id?: string | null;
  summary: Array<{ type: 'summary_text'; text: string }>;
  content?: Array<{ type: 'reasoning_text'; text: string }>;
  encrypted_content?: string | null;
}

export type ResponseItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem;

/** Token usage of one model response (`token_count` event fields, WIRE.md §7). */
export interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

/** Plain text of a message item. */
export function messageText(item: MessageItem): string {
  return item.content.map((c) => ('text' in c ? c.text : '')).join('');
}

export function userText(text: string): MessageItem {
  return { type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text }] };
}

export function assistantText(text: string): MessageItem {
  return { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text }] };
}
