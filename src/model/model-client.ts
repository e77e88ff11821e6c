import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { ProviderInfo } from '../config/provider-info';
import { buildChatWireBody, chatHistoryMessages } from './chat-request';
import { nodeHttpFetch, type ModelFetch } from './http-fetch';
import { parseChatStreamBatches } from './chat-stream';
import { jsonBody, type JsonBody } from './json-body';
import { ModelStreamError, type ModelEvent, type ModelRequest } from './model-events';
import { buildResponsesWireBody, responsesHistoryItems } from './responses-request';
import { parseResponsesStreamBatches } from './responses-stream';
import { abortReason, describeError, IDLE_TIMEOUT_MESSAGE, untilAborted } from './sse';

/** Extra request headers from the AuthManager (e.g. `Authorization`), asked for before every HTTP attempt. */
export type AuthHeadersProvider = () => Promise<Record<string, string>>;

/** Waits `ms`, rejecting with the signal's reason as soon as it is aborted. */
export type SleepFn = (ms: number, signal: AbortSignal) => Promise<void>;

/** Seams for tests; production code passes nothing. */
export interface ModelClientOptions {
  /** Defaults to Node's HTTP client behind a fetch-shaped function (see {@link nodeHttpFetch}). */
  fetch?: ModelFetch;
  /** Defaults to a timer; tests inject one that records the wait and returns at once. */
  sleep?: SleepFn;
  /** Source of the backoff jitter, in [0, 1); defaults to `Math.random`. */
  random?: () => number;
}

/** First retry delay; each further retry doubles it (CONFIG.md §3: about 0.2, 0.4, 0.8, 1.6 s). */
const BASE_BACKOFF_MS = 200;
/** Longest error-body excerpt put into an `unexpected status` message. */
const MAX_ERROR_BODY_CHARS = 500;
const REDACTED = '[REDACTED]';

/**
 * Streams one model response from a provider, over either wire API, with codex 0.29's retry
 * behaviour (CONFIG.md §3). Stateless between calls, so one instance can serve every
 * conversation.
 */
export class ModelClient {
  private readonly fetchFn: ModelFetch;
  private readonly sleepFn: SleepFn;
  private readonly random: () => number;
  /** Each history's wire elements, kept from request to request while it only grows (wire-json.ts), per API shape. */
  private readonly chatJson = chatHistoryMessages();
  private readonly responsesJson = responsesHistoryItems();

  constructor(options: ModelClientOptions = {}) {
    this.fetchFn = options.fetch ?? nodeHttpFetch;
    this.sleepFn = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends `req` to `provider` and yields the response's events, the events of each network
   * chunk together (a generator step per event was a good part of the cost of a long stream),
   * ending with `completed`.
   *
   * Failures are retried at two levels. One HTTP request is retried up to
   * `requestMaxRetries` times on 429, 5xx and connection errors (waiting for `Retry-After` when
   * given, else 200 ms doubling, ±10 % jitter). When those are spent, or a stream that had
   * started fails (dropped connection, idle timeout, a failure event), the whole request is
   * retried up to `streamMaxRetries` times, and `onRetry` receives the `stream_error` text
   * first. Other 4xx answers and a missing `env_key` variable fail at once.
   *
   * Retries happen even after events of the failed attempt were yielded: 0.29 retries a
   * stream that stalls mid-way, and holding events back until a response is complete would
   * take live streaming away and reorder events against 0.29. The retried attempt starts the
   * response from the beginning, so **a call to `onRetry` means: discard every event yielded
   * since the start or the previous `onRetry`**. Deltas already shown stay shown (0.29 also
   * re-streams them after `stream_error`); `item`s must not reach the history twice, so record
   * the items of an attempt only once its `completed` arrives (0.29 records history only after a
   * successful response, too). With the chat API items only ever come right before `completed`;
   * with the Responses API an `output_item.done` can precede a failure. `onRetry` is always
   * called before any event of the next attempt, and `completed` is always the last event.
   *
   * Everything thrown is final (retries are already spent or pointless); a
   * {@link ModelStreamError} carries the text for the `error` event and never contains a
   * credential. Aborting `signal` stops the fetch, the body and any backoff at once, and the
   * iterator throws the signal's reason. Breaking out of the loop releases the connection.
   *
   * @param auth Called right before each HTTP attempt so a refreshed token reaches every retry;
   *   its headers are applied last. Errors it throws propagate unchanged.
   */
  async *streamBatches(
    req: ModelRequest,
    provider: ProviderInfo,
    auth: AuthHeadersProvider,
    signal: AbortSignal,
    onRetry: (message: string) => void,
  ): AsyncGenerator<ModelEvent[], void, undefined> {
    if (signal.aborted) throw abortReason(signal);
    const apiKey = readEnvKey(provider);
    const secrets = new SecretScrubber();
    secrets.add(apiKey);
    for (const envName of Object.values(provider.envHttpHeaders)) secrets.add(process.env[envName]);
    for (const [name, value] of Object.entries(provider.httpHeaders)) {
      if (/auth|key|token|secret/i.test(name)) secrets.add(value);
    }

    const url = requestUrl(provider);
    const body = () => jsonBody(provider.wireApi === 'chat' ? buildChatWireBody(req, this.chatJson) : buildResponsesWireBody(req, this.responsesJson));
    const call: Call = { req, provider, auth, signal, apiKey, url, body, secrets };

    for (let retry = 0; ; retry++) {
      let failure: ModelStreamError;
      // One controller per attempt: ending a failed attempt (idle timeout) must not touch the
      // caller's signal, while the caller's abort must end the attempt.
      const attempt = new AbortController();
      let completed = false;
      const forwardAbort = () => attempt.abort(abortReason(signal));
      signal.addEventListener('abort', forwardAbort, { once: true });
      try {
        const response = await this.send(call, attempt);
        const options = { signal: attempt.signal, idleTimeoutMs: provider.streamIdleTimeoutMs };
        const events = provider.wireApi === 'chat' ? parseChatStreamBatches(response.body, options) : parseResponsesStreamBatches(response.body, options);
        for await (const batch of events) yield batch;
        completed = true;
        return;
      } catch (err) {
        if (signal.aborted) throw abortReason(signal);
        if (!(err instanceof ModelStreamError)) throw err;
        failure = secrets.scrubError(err);
      } finally {
        signal.removeEventListener('abort', forwardAbort);
        // Tears down a connection still open after a failure or an early break. A complete
        // response has released its connection already; aborting it would only cost an error object.
        if (!completed) attempt.abort();
      }

      if (!failure.retryable || retry >= provider.streamMaxRetries) throw failure;
      const n = retry + 1;
      const delay = failure.retryAfterMs ?? this.backoff(n);
      onRetry(`stream error: ${failure.message}; retrying ${n}/${provider.streamMaxRetries} in ${formatDelay(delay)}…`);
      await this.pause(delay, signal);
    }
  }

  /**
   * Sends the request, retrying the HTTP exchange itself, and returns the first 2xx response.
   * Throws a {@link ModelStreamError} whose message is what the turn reports once the
   * stream-level retries are spent too.
   */
  private async send(call: Call, attempt: AbortController): Promise<Response & { body: ReadableStream<Uint8Array> }> {
    const { provider, signal } = call;
    for (let retry = 0; ; retry++) {
      const headers = await this.headers(call);
      let response: Response;
      try {
        response = await this.fetchWithin(call, headers, attempt);
      } catch (err) {
        if (signal.aborted) throw abortReason(signal);
        if (err instanceof ModelStreamError) throw err;
        const failure = new ModelStreamError(`error sending request: ${describeError(err)}`, true);
        if (retry >= provider.requestMaxRetries) throw failure;
        await this.pause(this.backoff(retry + 1), signal);
        continue;
      }

      if (response.ok) {
        if (!response.body) {
          throw new ModelStreamError('stream disconnected before completion: empty response body', true);
        }
        return response as Response & { body: ReadableStream<Uint8Array> };
      }

      const status = response.status;
      const statusLine = `${status} ${STATUS_CODES[status] ?? response.statusText}`.trimEnd();
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        await response.body?.cancel().catch(() => undefined);
        if (retry >= provider.requestMaxRetries) {
          throw new ModelStreamError(`exceeded retry limit, last status: ${statusLine}`, true, retryAfterMs, status);
        }
        await this.pause(retryAfterMs ?? this.backoff(retry + 1), signal);
        continue;
      }

      let text = '';
      try {
        text = await response.text();
      } catch {
        if (signal.aborted) throw abortReason(signal);
      }
      const excerpt = Array.from(text).slice(0, MAX_ERROR_BODY_CHARS).join('');
      throw new ModelStreamError(`unexpected status ${statusLine}: ${excerpt}`, false, undefined, status);
    }
  }

  /**
   * fetch, failing the attempt with the idle-timeout error when not even the response headers
   * arrive within `streamIdleTimeoutMs`: a silent server is idle whether or not it has answered.
   */
  private async fetchWithin(call: Call, headers: RequestHeaders, attempt: AbortController): Promise<Response> {
    const idleMs = call.provider.streamIdleTimeoutMs;
    const timer = idleMs > 0 ? setTimeout(() => attempt.abort(new ModelStreamError(IDLE_TIMEOUT_MESSAGE, true)), idleMs) : undefined;
    try {
      return await this.fetchFn(call.url, { method: 'POST', headers, body: call.body(), signal: attempt.signal });
    } catch (err) {
      const reason: unknown = attempt.signal.reason;
      if (attempt.signal.aborted && reason instanceof ModelStreamError) throw reason;
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async headers(call: Call): Promise<RequestHeaders> {
    const { provider, req, apiKey, secrets } = call;
    // Names are lowercased (setHeader), so a later source really replaces an earlier one.
    const headers: RequestHeaders = { accept: 'text/event-stream', 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(provider.httpHeaders)) setHeader(headers, name, value);
    for (const [name, envName] of Object.entries(provider.envHttpHeaders)) {
      const value = process.env[envName];
      if (value) setHeader(headers, name, value);
    }
    if (apiKey !== undefined) setHeader(headers, 'authorization', `Bearer ${apiKey}`);
    if (provider.wireApi === 'responses' && provider.id === 'openai') {
      headers['openai-beta'] = 'responses=experimental';
      headers['originator'] = 'codex_cli_rs';
      headers['session_id'] = req.conversationId;
    }
    const extra = await untilAborted(call.auth(), call.signal);
    for (const [name, value] of Object.entries(extra)) {
      setHeader(headers, name, value);
      secrets.add(value);
      secrets.add(value.replace(/^Bearer\s+/i, ''));
    }
    return headers;
  }

  private backoff(retry: number): number {
    const jitter = 0.9 + this.random() * 0.2;
    return BASE_BACKOFF_MS * 2 ** (retry - 1) * jitter;
  }

  /** Backoff wait; also honours an abort that an injected sleep ignored. */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    await this.sleepFn(ms, signal);
    if (signal.aborted) throw abortReason(signal);
  }
}

/** What every attempt of one `stream()` call shares. */
interface Call {
  req: ModelRequest;
  provider: ProviderInfo;
  auth: AuthHeadersProvider;
  signal: AbortSignal;
  apiKey: string | undefined;
  url: string;
  /**
   * The request body as JSON bytes (jsonBody), made afresh for each attempt from `req` (the
   * history's items keep their JSON, so that is cheap).
   */
  body: () => JsonBody;
  secrets: SecretScrubber;
}

/**
 * Headers.set quotes an invalid value in its TypeError, and the value may be a key (a stray
 * newline in an env var), so the error is replaced by one that names only the header.
 */
/**
 * Request headers by lowercase name. A plain object, not the global Headers: touching that global
 * loads Node's built-in copy of undici (fetch, web streams, http2), which cost the first model
 * request of a process ~50 ms of CPU.
 */
type RequestHeaders = Record<string, string>;

/** Sets a header as Headers.set would: name lowercased, value without surrounding whitespace, both checked. */
function setHeader(headers: RequestHeaders, name: string, value: string): void {
  try {
    const normalized = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    validateHeaderName(name);
    validateHeaderValue(name, normalized);
    headers[name.toLowerCase()] = normalized;
  } catch {
    throw new ModelStreamError(`invalid HTTP header: ${JSON.stringify(name)} has a name or value that cannot be sent`, false);
  }
}

/** The provider's API key, or an immediate, non-retryable failure when its variable is empty. */
function readEnvKey(provider: ProviderInfo): string | undefined {
  if (!provider.envKey) return undefined;
  const value = process.env[provider.envKey];
  if (value) return value;
  let message = `Missing environment variable: \`${provider.envKey}\`.`;
  if (provider.envKeyInstructions) message += ` ${provider.envKeyInstructions}`;
  throw new ModelStreamError(message, false);
}

function requestUrl(provider: ProviderInfo): string {
  const path = provider.wireApi === 'chat' ? '/chat/completions' : '/responses';
  // Through URL rather than string concatenation so a base URL that already has a query keeps it.
  const url = new URL(provider.baseUrl);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  for (const [name, value] of Object.entries(provider.queryParams)) url.searchParams.append(name, value);
  return url.toString();
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Delay text in the style of the `stream_error` messages: `200ms`, `1.2s`. */
export function formatDelay(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded < 1000) return `${rounded}ms`;
  return `${Math.round(ms / 100) / 10}s`;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Removes credentials from error texts. Provider error bodies and failure events are quoted
 * into messages, and a server may echo the key it was sent.
 */
class SecretScrubber {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would blank out ordinary words without protecting anything.
    if (value && value.length >= 8) this.secrets.add(value);
  }

  scrubError(err: ModelStreamError): ModelStreamError {
    let message = err.message;
    for (const secret of this.secrets) {
      if (message.includes(secret)) message = message.split(secret).join(REDACTED);
    }
    if (message === err.message) return err;
    return new ModelStreamError(message, err.retryable, err.retryAfterMs, err.status);
  }
}
