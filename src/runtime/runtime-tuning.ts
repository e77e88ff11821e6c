/**
 * V8 settings for the steady state. After the handshake, V8 is told to compile each function to
 * baseline machine code (Sparkplug) on its first call instead of interpreting it until it warms
 * up: a session's requests are few and latency-bound, so most of them would otherwise run in the
 * interpreter (measured: about 20% off send → task_complete). Not before the handshake: start-up
 * code comes from the code cache, and compiling it all would only slow the first reply.
 */
export class RuntimeTuning {
  private applied = false;

  afterHandshake(): void {
    if (this.applied) return;
    this.applied = true;
    // Well after the initialize reply has been written (the transport flushes on nextTick).
    // node:v8 is required here, not imported: loading it costs start-up more than a millisecond.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    setImmediate(() => setImmediate(() => (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--always-sparkplug')));
  }
}
