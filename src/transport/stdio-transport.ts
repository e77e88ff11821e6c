import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../logging/logger';
import { InputPump } from './input-pump';
import { LineSplitter, type LineEvent } from './line-splitter';
import type { Transport, TransportHandlers } from './transport';

/** Lines longer than this are answered with a parse error instead of being buffered further. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Output backpressure: while more than this many bytes wait to reach the client (our queue plus
 * what stdout has buffered because the pipe is full), stdin is not read; reading resumes once
 * stdout has written everything out ('drain'). 4 MiB is a couple of thousand ordinary replies, so a
 * client that reads its stdout never gets near it, and a client that stops reading costs the server
 * at most this, plus the replies to the one stdin chunk (64 KiB) being handled when it trips, plus
 * what the paused stdin stream keeps (its high-water mark). The rest waits in the client's own pipe.
 */
export const OUTPUT_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Queued output is written at once, without waiting for the end of the turn of the event loop,
 * when it reaches this size. A turn that sends thousands of messages (an event replay: 10,000
 * events, ~2.5 MB) otherwise kept every line alive until one big join: they outlived the young
 * generation's scavenges, were copied into the old one, and each replay ended in a full
 * collection (measured with --trace-gc: ten promoting scavenges and a mark-compact per replay,
 * ~40 % of its CPU). In 64 KiB slices the lines die young, and each write is still one pipe
 * buffer's worth.
 */
export const FLUSH_CHUNK_CHARS = 64 * 1024;

/**
 * Newline-delimited JSON-RPC over a pair of streams (stdin/stdout by default; tests pass their own).
 * This is the only writer of stdout. Messages queued until the event loop reaches its check phase
 * go out in one write (in slices of FLUSH_CHUNK_CHARS when there are many; and before each later
 * slice of a chunk of input, see InputPump), which keeps pipelined replies cheap (stdout pipes are
 * synchronous on Linux, so each write is a syscall).
 *
 * The write is a setImmediate: it comes after the I/O callbacks of this turn of the loop, their
 * promise jobs, and the ticks Node itself schedules from them. What that buys is a turn's model
 * request going out first. Node's HTTP client writes a request on a kept-alive socket a tick after
 * it is made; the reply to sendUserMessage and task_started, queued before it, were written ahead
 * of it with a nextTick write, so the request waited for that pipe write (strace of a text turn:
 * stdout, then the socket; now the socket, then stdout).
 * Measured against the nextTick write (referee bench, the two builds side by side, 4 runs):
 * send -> mock request 0.81-0.87x, same-conversation send -> task_complete p50 0.84-0.90x and
 * p90 0.76-0.97x, a fresh conversation's turn 0.89-0.96x, a shell turn 0.90-0.96x; pipelined
 * pings unchanged; a raw burst of 20,000 deltas 5-9 % slower, its batches being bigger. Sequential
 * pings: p50 ~30 or ~90 µs from one run to the next with either write, the fast mode less often with
 * this one (a probe alternating the two builds: 4 of 12 runs against 8 of 12; codex 0.29: ~100 µs);
 * pings while 20 conversations stream unchanged (p50 111-138 against 115-138 µs).
 */
export class StdioTransport implements Transport {
  private readonly splitter = new LineSplitter(MAX_LINE_BYTES);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private queue: string[] = [];
  /** Characters in `queue` (UTF-16 units: a cheap stand-in for bytes, close enough for a bound). */
  private queuedChars = 0;
  /** Input is held because too much output waits for the client. */
  private outputFull = false;
  /** Input is held because the router asked (its backlog is long). */
  private heldByReader = false;
  /** Input is held because many lines wait to be handled. */
  private heldByPump = false;
  /** Hands the lines to the router in slices (see InputPump). */
  private readonly pump = new InputPump<LineEvent>(
    (event) => this.handleLine(event),
    (held) => {
      this.heldByPump = held;
      this.updateInput();
    },
    (event) => (event.kind === 'oversize' ? 0 : event.bytes.length),
    () => this.flush(),
  );
  private inputPaused = false;
  /** Set once the logger exists (the transport is made before it, see startServer). */
  log?: Logger;
  private flushScheduled = false;
  /** whenOutputBelow's waiters, each with its bound. */
  private outputWaiters: Array<{ bytes: number; resolve: () => void }> = [];
  private handlers?: TransportHandlers;
  private closed = false;
  private ended = false;
  /** The output's own write, taken before anything can replace it (see guardStdout). */
  private readonly writeOut: (text: string) => boolean;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
  ) {
    this.writeOut = output.write.bind(output) as (text: string) => boolean;
  }

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.input.on('data', (chunk: Buffer) => this.pump.push(this.splitter.push(chunk)));
    this.input.on('end', () => this.finish('stdin ended'));
    this.input.on('close', () => this.finish('stdin closed'));
    this.input.on('error', () => this.finish('stdin failed'));
    this.output.on('error', () => this.finish('stdout failed'));
    // Emitted once stdout has written out everything it buffered (Writable's 'drain').
    this.output.on('drain', () => {
      this.outputDrained();
      this.wakeOutputWaiters();
    });
  }

  send(line: string): void {
    if (this.closed) return;
    this.queue.push(line);
    this.queuedChars += line.length + 1;
    if (this.queuedChars >= FLUSH_CHUNK_CHARS) {
      this.flush();
      return;
    }
    if (!this.outputFull && this.queuedChars + this.output.writableLength > OUTPUT_HIGH_WATER_BYTES) this.holdForOutput();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.closed) return;
    const text = this.queue.join('\n') + '\n';
    this.queue = [];
    this.queuedChars = 0;
    this.writeOut(text);
    if (this.outputFull) this.outputDrained();
    else if (this.output.writableLength > OUTPUT_HIGH_WATER_BYTES) this.holdForOutput();
    // A write the pipe took at once is followed by no 'drain'.
    if (this.outputWaiters.length > 0) this.wakeOutputWaiters();
  }

  whenOutputBelow(bytes: number, signal?: AbortSignal): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.closed || this.queuedChars + this.output.writableLength <= bytes) return undefined;
    return new Promise((resolve, reject) => {
      // An aborted wait leaves the list at once, not at the next 'drain' (a client that keeps
      // cancelling while it does not read would otherwise grow it).
      const onAbort = () => {
        this.outputWaiters = this.outputWaiters.filter((w) => w !== waiter);
        reject(signal!.reason as Error);
      };
      const waiter = {
        bytes,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.outputWaiters.push(waiter);
    });
  }

  private wakeOutputWaiters(): void {
    const waiting = this.closed ? 0 : this.queuedChars + this.output.writableLength;
    this.outputWaiters = this.outputWaiters.filter((w) => {
      if (waiting > w.bytes) return true;
      w.resolve();
      return false;
    });
  }

  holdInput(held: boolean): void {
    this.heldByReader = held;
    this.updateInput();
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.pump.stop();
    this.wakeOutputWaiters();
    this.input.removeAllListeners('data');
    this.input.pause();
  }

  private holdForOutput(): void {
    this.outputFull = true;
    this.updateInput();
  }

  /**
   * Called on 'drain' and after every flush while held: a flush that went out without filling
   * stdout's buffer is followed by no 'drain', so the flush itself must look.
   */
  private outputDrained(): void {
    if (!this.outputFull || this.queuedChars + this.output.writableLength > OUTPUT_HIGH_WATER_BYTES / 2) return;
    this.outputFull = false;
    this.updateInput();
  }

  private updateInput(): void {
    if (this.closed) return;
    const pause = this.outputFull || this.heldByReader || this.heldByPump;
    if (pause === this.inputPaused) return;
    this.inputPaused = pause;
    const waiting = this.queuedChars + this.output.writableLength;
    if (pause) {
      this.input.pause();
      this.log?.debug({ outputBytes: waiting, outputFull: this.outputFull }, 'stdin paused: output waits for the client or the backlog is long');
    } else {
      this.input.resume();
      this.log?.debug({ outputBytes: waiting }, 'stdin resumed');
    }
  }

  private finish(reason: string): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.pump.push(this.splitter.end());
    // The lines already read are handled first, as they would have been in one go.
    this.pump.whenIdle(() => this.handlers?.onClose(reason));
  }

  private handleLine(event: LineEvent): void {
    if (event.kind === 'oversize') {
      this.handlers?.onLine(undefined, `line of ${event.bytes} bytes exceeds the ${MAX_LINE_BYTES}-byte limit`);
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(event.bytes);
    } catch {
      this.handlers?.onLine(undefined, 'line is not valid UTF-8');
      return;
    }
    this.handlers?.onLine(text);
  }
}
