/** The model client: request bodies, SSE stream parsing and the retrying HTTP client. */
export { ModelStreamError, type ModelEvent, type ModelRequest, type ModelTool } from './model-events';
export { buildChatBody, type ChatBody, type ChatMessage, type ChatTool, type ChatToolCall } from './chat-request';
export {
  buildResponsesBody,
  type ResponsesBody,
  type ResponsesInputItem,
  type ResponsesTool,
} from './responses-request';
export { parseChatStream } from './chat-stream';
export { parseResponsesStream } from './responses-stream';
export { IDLE_TIMEOUT_MESSAGE, type SseReadOptions } from './sse';
export {
  ModelClient,
  formatDelay,
  parseRetryAfter,
  type AuthHeadersProvider,
  type ModelClientOptions,
  type SleepFn,
} from './model-client';
