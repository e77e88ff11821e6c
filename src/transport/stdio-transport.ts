import type { Readable, Writable } from 'node:stream';
import { LineSplitter, type LineEvent } from './line-splitter';
import type { Transport, TransportHandlers } from './transport';

/** Lines longer than this are answered with a parse error instead of being buffered further. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Newline-delimited JSON-RPC over a pair of streams (stdin/stdout by default; tests pass their own).
 * This is the only writer of stdout. Messages queued in one tick go out in one write, which keeps
 * pipelined replies cheap (stdout pipes are synchronous on Linux, so each write is a syscall).
 */
export class StdioTransport implements Transport {
  private readonly splitter = new LineSplitter(MAX_LINE_BYTES);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private queue: string[] = [];
  private flushScheduled = false;
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
    this.input.on('data', (chunk: Buffer) => this.deliver(this.splitter.push(chunk)));
    this.input.on('end', () => this.finish('stdin ended'));
    this.input.on('close', () => this.finish('stdin closed'));
    this.input.on('error', () => this.finish('stdin failed'));
    this.output.on('error', () => this.finish('stdout failed'));
  }

  send(line: string): void {
    if (this.closed) return;
    this.queue.push(line);
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
    this.writeOut(text);
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.input.removeAllListeners('data');
    this.input.pause();
  }

  private finish(reason: string): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.deliver(this.splitter.end());
    this.handlers?.onClose(reason);
  }

  private deliver(events: LineEvent[]): void {
    for (const event of events) {
      if (event.kind === 'oversize') {
        this.handlers?.onLine(undefined, `line of ${event.bytes} bytes exceeds the ${MAX_LINE_BYTES}-byte limit`);
        continue;
      }
      let text: string;
      try {
        text = this.decoder.decode(event.bytes);
      } catch {
        this.handlers?.onLine(undefined, 'line is not valid UTF-8');
        continue;
      }
      this.handlers?.onLine(text);
    }
  }
}
