import { JSONRPCClient, createJSONRPCErrorResponse, type JSONRPCResponse } from 'json-rpc-2.0';
import type { NotificationSpec, RequestSpec } from '../protocol/spec';
import { PeerError, RequestAbortedError, RequestTimeoutError, TransportClosedError } from './errors';

export interface OutgoingRequestOptions {
  /** Reject with RequestTimeoutError after this many ms; undefined waits for ever. */
  timeoutMs?: number;
  /** Reject with RequestAbortedError (or the signal's reason, when it is an Error) once aborted. */
  signal?: AbortSignal;
}

/** Code used only inside the process to settle a request we gave up on; never sent. */
const LOCAL_SETTLE_CODE = -32099;

/**
 * The server's requests and notifications to the client (elicitations, events), on the client half
 * of the json-rpc-2.0 engine. Ids are integers counted from 0 per process, as in codex 0.29 (WIRE.md §8).
 * json-rpc-2.0 has no cancellation, so a timeout or an abort settles the pending entry locally.
 */
export class OutgoingRequests {
  private closed = false;

  constructor(
    private readonly client: JSONRPCClient<void>,
    private readonly nextId: () => number,
    private readonly writeMessage: (message: object) => void,
    private readonly flushOutput: () => void = () => undefined,
  ) {}

  /**
   * Writes the messages queued so far now, instead of once the current turn of the event loop is
   * over (the transport's setImmediate). For a message the client waits on, such as the end of a
   * turn: sent from inside a chain of promise jobs, it otherwise waited for the rest of that chain
   * (the model stream's cleanup, the turn's end hooks), measured at 0.1-2.7 ms after a paced stream.
   */
  flush(): void {
    if (!this.closed) this.flushOutput();
  }

  /**
   * Sends a notification; dropped once the transport is closed. Written straight to the
   * transport rather than through the engine's client: a notification needs no bookkeeping, and
   * the engine's async send path cost a promise chain per message, which a stream of 20,000
   * deltas pays 20,000 times.
   */
  notify<P>(spec: NotificationSpec<string, P>, params: P): void;
  /** An untyped notification: a plugin's own method, outside the protocol's declarations. */
  notify(method: string, params?: unknown): void;
  notify(target: string | NotificationSpec<string, unknown>, params?: unknown): void {
    if (this.closed) return;
    const method = typeof target === 'string' ? target : target.name;
    this.writeMessage(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /**
   * Sends a request and resolves with the client's `result`; a JSON-RPC error reply rejects with
   * PeerError. The result is typed as declared, but it is whatever the client sent: read it
   * defensively (the approval plugins map any reply through toReviewDecision).
   */
  request<P, R>(spec: RequestSpec<string, P, R>, params: P, options?: OutgoingRequestOptions): Promise<R>;
  /** An untyped request: a plugin's own method, outside the protocol's declarations. */
  request<R = unknown>(method: string, params: unknown, options?: OutgoingRequestOptions): Promise<R>;
  async request(target: string | RequestSpec<string, unknown, unknown>, params: unknown, options: OutgoingRequestOptions = {}): Promise<unknown> {
    const method = typeof target === 'string' ? target : target.name;
    if (this.closed) throw new TransportClosedError('the client connection is closed');
    const { timeoutMs, signal } = options;
    if (signal?.aborted) throw abortError(signal);
    const id = this.nextId();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let localFailure: Error | undefined;
    const settleLocally = (err: Error) => {
      localFailure = err;
      this.client.receive(createJSONRPCErrorResponse(id, LOCAL_SETTLE_CODE, err.message));
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => settleLocally(new RequestTimeoutError(`${method} got no reply within ${timeoutMs} ms`)), timeoutMs);
    }
    if (signal) {
      onAbort = () => settleLocally(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      const response: JSONRPCResponse = await this.client.requestAdvanced({
        jsonrpc: '2.0',
        id,
        method,
        params: params as never,
      });
      if (localFailure) throw localFailure;
      if (this.closed && response.error) throw new TransportClosedError('the client connection is closed');
      if (response.error) throw new PeerError(response.error.code, response.error.message, response.error.data);
      return response.result;
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Fails every pending request: the client is gone. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.rejectAllPendingRequests('the client connection is closed');
  }
}

/** The abort reason when the aborter gave a meaningful error (a turn ending, say); else a RequestAbortedError. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && !(reason instanceof DOMException)) return reason;
  return new RequestAbortedError('request aborted');
}
