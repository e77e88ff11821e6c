import type { ProviderInfo } from '../../src/config/provider-info';
import { parseChatStreamBatches } from '../../src/model/chat-stream';
import type { ModelClient } from '../../src/model/model-client';
import type { ModelEvent, ModelRequest, ModelTool } from '../../src/model/model-events';
import { parseResponsesStreamBatches } from '../../src/model/responses-stream';
import { userText } from '../../src/protocol/items';

/** A provider entry pointing at `baseUrl`, with 0.29's defaults unless overridden. */
export function providerAt(baseUrl: string, overrides: Partial<ProviderInfo> = {}): ProviderInfo {
  return {
    id: 'mock',
    name: 'Mock',
    baseUrl,
    wireApi: 'chat',
    requiresOpenaiAuth: false,
    queryParams: {},
    httpHeaders: {},
    envHttpHeaders: {},
    requestMaxRetries: 4,
    streamMaxRetries: 5,
    streamIdleTimeoutMs: 300_000,
    ...overrides,
  };
}

/** The `shell` tool as 0.29 describes it (transcripts/provider-requests.json). */
export const SHELL_TOOL: ModelTool = {
  name: 'shell',
  description: 'Runs a shell command and returns its output',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'array', items: { type: 'string' }, description: 'The command to execute' },
      timeout_ms: { type: 'number', description: 'The timeout for the command in milliseconds' },
      workdir: { type: 'string', description: 'The working directory to execute the command in' },
    },
    required: ['command'],
    additionalProperties: false,
  },
};

export const VIEW_IMAGE_TOOL: ModelTool = {
  name: 'view_image',
  description: 'Attach a local image (by filesystem path) to the conversation context for this turn.',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Local filesystem path to an image file' } },
    required: ['path'],
    additionalProperties: false,
  },
};

export const ENV_CONTEXT =
  '<environment_context>\n  <cwd>/tmp/work</cwd>\n  <approval_policy>untrusted</approval_policy>\n' +
  '  <sandbox_mode>danger-full-access</sandbox_mode>\n  <network_access>enabled</network_access>\n</environment_context>';

/** A minimal one-message request. */
export function simpleRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'mock-model',
    instructions: 'You are a test.',
    input: [userText(ENV_CONTEXT), userText('say hi')],
    tools: [SHELL_TOOL],
    conversationId: '5f0c3a52-2f8e-4a43-9a0f-7f2b8f8d1c11',
    ...overrides,
  };
}

export async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Resolves with what the promise rejected with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Concatenated deltas of one kind. */
export function deltas(events: ModelEvent[], type: 'text_delta' | 'reasoning_raw_delta' | 'reasoning_summary_delta'): string {
  return events
    .filter((e): e is Extract<ModelEvent, { type: typeof type }> => e.type === type)
    .map((e) => e.delta)
    .join('');
}

export function items(events: ModelEvent[]) {
  return events.flatMap((e) => (e.type === 'item' ? [e.item] : []));
}

/** A byte stream serving `chunks` one by one, for parser tests that need exact chunk boundaries. */
export function byteStream(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= chunks.length) {
        controller.close();
        return;
      }
      const chunk = chunks[i++];
      controller.enqueue(typeof chunk === 'string' ? enc.encode(chunk) : chunk);
    },
  });
}

export function sse(payload: unknown, event?: string): string {
  return (event ? `event: ${event}\n` : '') + `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

/** The events of a batched stream one at a time, as the tests read them. */
export async function* oneByOne<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** ModelClient.streamBatches, event by event. */
export function clientEvents(client: ModelClient, ...args: Parameters<ModelClient['streamBatches']>): AsyncGenerator<ModelEvent> {
  return oneByOne(client.streamBatches(...args));
}

/** A Chat Completions body parsed event by event. */
export function chatEvents(...args: Parameters<typeof parseChatStreamBatches>): AsyncGenerator<ModelEvent> {
  return oneByOne(parseChatStreamBatches(...args));
}

/** A Responses API body parsed event by event. */
export function responsesEvents(...args: Parameters<typeof parseResponsesStreamBatches>): AsyncGenerator<ModelEvent> {
  return oneByOne(parseResponsesStreamBatches(...args));
}
