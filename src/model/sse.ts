import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ModelStreamError, type ModelEvent } from './model-events';

/** How a model SSE body is read. */
export interface SseReadOptions {
  /** Aborting it stops reading at once; the iterator then throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * Fail with a retryable `idle timeout waiting for SSE` error when no bytes arrive for this long.
   * Counted only while waiting for the network, never while the consumer is busy.
   */
  idleTimeoutMs?: number;
}

/** The text of a stream that went silent (CONFIG.md §3, measured). */
export const IDLE_TIMEOUT_MESSAGE = 'stream disconnected before completion: idle timeout waiting for SSE';

/** Prefix of every failure of a started stream; 0.29 uses the same wording. */
export const DISCONNECTED_PREFIX = 'stream disconnected before completion: ';

/**
 * Turns SSE messages of one wire API into model events. Implementations keep whatever they must
 * aggregate in arrays and join it once in {@link SseDecoder.end}, so decoding stays linear in
 * the stream length.
 */
export interface SseDecoder {
  /**
   * Handles one SSE message, appending events to `out`. Returns true when the message ended the
   * response (nothing after it is read). Throws a {@link ModelStreamError} for a failure the
   * stream reports itself.
   */
  message(msg: EventSourceMessage, out: ModelEvent[]): boolean;
  /**
   * Appends the final events once the response is over. `finished` is false when the body ended
   * before the message that ends a response; decoders then throw a retryable error unless
   * their API counts that as a normal end.
   */
  end(finished: boolean, out: ModelEvent[]): void;
}

/** The reason to throw for an aborted signal; a bare DOMException when none was given. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Lets an abort win over a promise that cannot be cancelled itself (the auth callback): rejects
 * with the signal's reason as soon as it fires.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Reads an SSE body through `decoder`, yielding the events of each network chunk as one batch as
 * soon as the chunk has been parsed. Bytes are decoded and fed to the parser chunk by chunk, never
 * re-joined. Batches, not single events: every async-generator step costs promises, and a burst
 * of 20,000 deltas arrives in a few dozen chunks.
 */
export async function* decodeSseBatches(body: ReadableStream<Uint8Array>, decoder: SseDecoder, options: SseReadOptions = {}): AsyncGenerator<ModelEvent[]> {
  let out: ModelEvent[] = [];
  let finished = false;
  // A decoder error is held until the events parsed before it in the same chunk have been yielded.
  let failure: unknown;
  const parser = createParser({
    onEvent(msg) {
      if (finished || failure !== undefined) return;
      try {
        finished = decoder.message(msg, out);
      } catch (err) {
        failure = err;
      }
    },
  });
  const text = new TextDecoder();
  const reader = body.getReader();
  try {
    while (!finished && failure === undefined) {
      const chunk = await guardedRead(reader, options);
      if (chunk.done) {
        // Per the SSE rules an event without its terminating blank line is discarded, so only
        // the decoder's tail (an incomplete multi-byte character) is flushed.
        parser.feed(text.decode());
        break;
      }
      parser.feed(text.decode(chunk.value, { stream: true }));
      if (out.length > 0) {
        const batch = out;
        out = [];
        yield batch;
      }
    }
    if (out.length > 0) {
      const batch = out;
      out = [];
      yield batch;
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the stream's error callback caught, as caught
    if (failure !== undefined) throw failure;
    decoder.end(finished, out);
    if (out.length > 0) yield out;
  } finally {
    // Releases the connection when we stop early ([DONE], failure, consumer break).
    reader.cancel().catch(() => undefined);
  }
}

/**
 * One `reader.read()` bounded by the abort signal and the idle timeout. Uses one timer and one
 * listener per read, so the overhead is proportional to the number of network chunks.
 */
function guardedRead(reader: ReadableStreamDefaultReader<Uint8Array>, { signal, idleTimeoutMs }: SseReadOptions): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      settle();
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (idleTimeoutMs !== undefined && idleTimeoutMs > 0) {
      timer = setTimeout(() => {
        settle();
        reject(new ModelStreamError(IDLE_TIMEOUT_MESSAGE, true));
      }, idleTimeoutMs);
    }
    reader.read().then(
      (result) => {
        settle();
        resolve(result);
      },
      (err: unknown) => {
        settle();
        // An abort that raced the read wins, so the caller sees why it really stopped.
        if (signal?.aborted) reject(abortReason(signal));
        else reject(new ModelStreamError(DISCONNECTED_PREFIX + describeError(err), true));
      },
    );
  });
}

/**
 * A short, secret-free description of a network error: fetch (undici, used by the login's
 * issuer client) wraps the useful part (e.g. `connect ECONNREFUSED …`) in `cause`.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && cause.message !== err.message) {
    return `${err.message} (${cause.message})`;
  }
  return err.message || err.name;
}

/** Parses an SSE data payload; a payload that is not JSON is skipped, like 0.29 does. */
export function parseJson(data: string): any {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
