/** The first slice size, and the bounds it adapts within. */
export const FIRST_SLICE = 4;
const MAX_SLICE = 4096;
/** A slice that took less than this (its handlers' promise jobs included) grows; one over SLOW_SLICE_MS shrinks. */
const FAST_SLICE_MS = 1;
const SLOW_SLICE_MS = 4;
/**
 * A push that finds the pump idle for longer than this starts again from FIRST_SLICE: the size
 * the last burst grew to says nothing about the next one. 50 sendUserMessage in one chunk, after
 * as many newConversation that had grown the slice to 32, went in one slice: the first model
 * request went out 10.6 ms after the chunk came, once 32 turns had been started (referee
 * bench's conc test, timestamps in the server). The chunks of a pipelined burst usually come
 * closer together than this and keep the grown slices; one that does not regrows them in a few
 * turns of the loop.
 */
const IDLE_RESTART_MS = 2;
/** Past this many waiting items, or this many bytes of them, the reader is told to stop reading until the pump has caught up. */
export const PUMP_HOLD_ITEMS = 8192;
export const PUMP_HOLD_BYTES = 8 * 1024 * 1024;

/**
 * Hands input items (lines) to their handler in slices, with a turn of the event loop between
 * slices. A stdin chunk can hold hundreds of requests; handled in one go, the work they start in
 * promise jobs (a turn's model request, say) all runs before any of it reaches the network or the
 * client, and the event loop waits for all of it (50 sendUserMessage in one chunk: the first model
 * request went out only after the fiftieth message was handled). Between slices, replies are
 * written, requests go out and other streams are read.
 *
 * The slice size adapts to the work: it doubles while a slice, promise jobs included, takes under
 * a millisecond (pipelined pings soon go in slices of thousands, one turn of the loop per slice)
 * and halves when one takes over four. Items are handled in order, one at a time, never dropped.
 */
export class InputPump<T> {
  private queue: T[] = [];
  private next = 0;
  private slice = FIRST_SLICE;
  private sliceStarted = 0n;
  private scheduled = false;
  private stopped = false;
  private held = false;
  /** Bytes of the waiting items, as `weigh` counts them. */
  private waitingBytes = 0;
  private idle: (() => void)[] = [];
  /** When the last slice that emptied the queue ended. */
  private idleSince = 0n;

  constructor(
    private readonly handle: (item: T) => void,
    /** Told true when too many items wait, false once they are handled (the reader pauses its input meanwhile). */
    private readonly hold: (held: boolean) => void = () => undefined,
    /** The size of an item in bytes, for the byte bound. */
    private readonly weigh: (item: T) => number = () => 0,
    /**
     * Called before each later slice of a chunk. The reader writes out what the slices so far
     * queued for the client, which otherwise waited for a turn of the loop that comes after the
     * next slice has been handled (its write is a setImmediate too, scheduled after this pump's).
     */
    private readonly beforeSlice: () => void = () => undefined,
  ) {}

  /** Items waiting to be handled. */
  get waiting(): number {
    return this.queue.length - this.next;
  }

  /** Queues items after those already waiting; handles a first slice at once when nothing waits. */
  push(items: T[]): void {
    if (this.stopped || items.length === 0) return;
    if (this.waiting === 0) {
      if (this.slice !== FIRST_SLICE && Number(process.hrtime.bigint() - this.idleSince) / 1e6 > IDLE_RESTART_MS) this.slice = FIRST_SLICE;
      this.queue = items;
      this.next = 0;
    } else for (const item of items) this.queue.push(item);
    for (const item of items) this.waitingBytes += this.weigh(item);
    if (!this.held && (this.waiting > PUMP_HOLD_ITEMS || this.waitingBytes > PUMP_HOLD_BYTES)) {
      this.held = true;
      this.hold(true);
    }
    if (!this.scheduled) this.run();
  }

  /** Calls `fn` once every item pushed so far has been handled: at once when none waits. */
  whenIdle(fn: () => void): void {
    if (this.waiting === 0 || this.stopped) fn();
    else this.idle.push(fn);
  }

  /** Drops whatever waits and takes nothing more. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.next = 0;
    this.waitingBytes = 0;
    this.idle = [];
  }

  private run(): void {
    this.sliceStarted = process.hrtime.bigint();
    const end = Math.min(this.queue.length, this.next + this.slice);
    while (this.next < end && !this.stopped) {
      const item = this.queue[this.next++];
      this.waitingBytes -= this.weigh(item);
      this.handle(item);
    }
    if (this.stopped) return;
    if (this.held && this.waiting <= PUMP_HOLD_ITEMS / 2 && this.waitingBytes <= PUMP_HOLD_BYTES / 2) {
      this.held = false;
      this.hold(false);
    }
    if (this.waiting > 0) {
      this.scheduled = true;
      setImmediate(() => this.resume());
      return;
    }
    this.queue = [];
    this.next = 0;
    this.idleSince = process.hrtime.bigint();
    const waiters = this.idle;
    this.idle = [];
    for (const fn of waiters) fn();
  }

  private resume(): void {
    this.scheduled = false;
    if (this.stopped) return;
    this.beforeSlice();
    const tookMs = Number(process.hrtime.bigint() - this.sliceStarted) / 1e6;
    if (tookMs < FAST_SLICE_MS) this.slice = Math.min(MAX_SLICE, this.slice * 2);
    else if (tookMs > SLOW_SLICE_MS) this.slice = Math.max(1, this.slice >> 1);
    // Handled items are let go of, so a queue that never empties does not keep them all.
    if (this.next > 1024 && this.next * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.next);
      this.next = 0;
    }
    this.run();
  }
}
