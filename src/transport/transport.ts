/** What the router needs from a connection: lines in, lines out, and an end. */
export interface TransportHandlers {
  /** One complete line of text; `undefined` when the line was not valid UTF-8 or was too long. */
  onLine(line: string | undefined, problem?: string): void;
  /** The peer is gone (stdin ended or closed, or stdout broke). */
  onClose(reason: string): void;
}

export interface Transport {
  start(handlers: TransportHandlers): void;
  /** Queues one serialized message; it must not contain a newline. */
  send(line: string): void;
  /**
   * Stops (true) or restarts (false) reading input, for a reader that has too much queued. The
   * transport may also stop reading on its own while its output is backed up.
   */
  holdInput(held: boolean): void;
  /**
   * Undefined while at most `bytes` of output wait to reach the peer; otherwise a promise that
   * resolves once that is so again, or once the transport closes. When `signal` aborts first, the
   * promise rejects with its reason and the transport forgets the wait. Optional: a transport that
   * cannot tell (an in-memory one) never makes anyone wait.
   */
  whenOutputBelow?(bytes: number, signal?: AbortSignal): Promise<void> | undefined;
  /** Writes everything queued now. */
  flush(): void;
  /** Stops reading and writing. */
  close(): void;
}
