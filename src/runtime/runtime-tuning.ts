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

/*
 * Not `--semi-space-growth-factor=1` any more, which kept the young generation at 1-2 MiB
 * semi-spaces once the first model response streamed. It was set against the RSS of a burst of
 * deltas, back when each delta allocated more than it does now; measured again (referee bench,
 * the same build with the factor at V8's default 2 and at 1, two runs each): the RSS peak of the
 * 20,000-delta burst 65.1-65.8 MiB either way, and without it same-conversation send ->
 * task_complete p90 2.45-2.75 against 2.85-2.92 ms and the shell turn p90 5.8-5.9 against
 * 6.6-7.2 ms (more scavenges in the small young generation); the soak the same (+18 to +21 %).
 */

export class RuntimeTuning {
  private applied = false;
  /** Shutdown has begun: the steady-state flags are not set any more. */
  private stopping = false;

  afterHandshake(): void {
    if (this.applied) return;
    this.applied = true;
    // Well after the initialize reply has been written (the transport flushes on nextTick).
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
}
