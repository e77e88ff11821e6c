/**
 * V8 settings for the steady state, set once after the handshake.
 *
 * - `--heap-growing-percent=100`: after a full collection the old generation may grow to twice
 *   what survived (or by V8's minimum step) before the next one, instead of V8's factor of up to
 *   4 for a small heap. A long conversation's model requests leave garbage proportional to its
 *   history; with the default the heap grew in a widening sawtooth (soak of `npm run bench`,
 *   heap statistics every 0.5 s: old space 12 → 44 MiB with ~20 MiB live; RSS after turn 1000
 *   +23-33 % over turn 100, with 100: +12 %). 50 and 20 flattened it a little more but made the
 *   pipelined rpc rows of the referee bench pay for more full collections (CPU up to 1.4×).
 *
 * Not before the handshake: setting a flag costs the first reply the loading of node:v8, and a
 * changed flag hash would make V8 reject the bundle's cache. (The
 * build records that cache in a server that has set these flags; scripts/launcher.cjs puts every
 * flag set here back to V8's default before writing it, and scripts/bundle.mjs checks that a
 * fresh process accepts it.)
 *
 * Not `--always-sparkplug` any more (baseline code for every function on its first call): the
 * compiling made each first call slow, and with the bundle's per-closure name calls gone (no
 * keepNames) it bought nothing later. Measured against it on the same build (referee bench):
 * the first turn of a fresh process, mock done -> task_complete after a paced stream 2.9 -> 0.4 ms,
 * sequential ping p99 1.0 -> 0.3 ms, the shell turn 6.8 -> 6.3 ms, the turn rows unchanged.
 */
export const STEADY_STATE_V8_FLAGS = '--heap-growing-percent=100';

/**
 * Set once the first model response starts streaming (beforeModelStream):
 *
 * - `--semi-space-growth-factor=1`: the young generation keeps the size it has then (1-2 MiB
 *   semi-spaces). By default V8 doubles it up to 16 MiB semi-spaces (32 MiB resident)
 *   once enough objects have survived scavenges, which a burst of deltas does; the pages are
 *   then kept. Our requests allocate little that outlives them, so the small young generation
 *   costs a few more, cheap scavenges (burst turn time unchanged). Set at run time on purpose:
 *   on the command line V8 raises a factor below 2 back to 2 when it sets up the heap.
 *
 * Not from the start: a server that only answers requests (20,000 pipelined in the referee bench)
 * keeps thousands of them alive at once, and with the small young generation they all got
 * promoted: ~1.3-1.8× the CPU per pipelined request.
 */
export const MODEL_STREAM_V8_FLAGS = '--semi-space-growth-factor=1';

export class RuntimeTuning {
  private applied = false;
  private streamed = false;
  /** Shutdown has begun: the steady-state flags are not set any more. */
  private stopping = false;

  afterHandshake(): void {
    if (this.applied) return;
    this.applied = true;
    // Well after the initialize reply has been written (the transport flushes at the setImmediate
    // it schedules for the reply, one turn of the loop before this one's second).
    // node:v8 is required here, not imported: loading it costs start-up more than a millisecond.
    setImmediate(() =>
      setImmediate(() => {
        // A client that hangs up right after the handshake: the exit does not wait for this.
        if (this.stopping) return;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
        (require('node:v8') as typeof import('node:v8')).setFlagsFromString(STEADY_STATE_V8_FLAGS);
      }),
    );
  }

  /** At shutdown: the steady-state flags are not set any more (a client that hangs up right after the handshake does not wait for them). */
  beforeShutdown(): void {
    this.stopping = true;
  }

  /** Before a model response streams (ModelGateway): the settings of MODEL_STREAM_V8_FLAGS, once. */
  beforeModelStream(): void {
    if (this.streamed) return;
    this.streamed = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString(MODEL_STREAM_V8_FLAGS);
  }
}
