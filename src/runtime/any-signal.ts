/**
 * A signal that aborts as soon as any of `signals` does, with that one's reason; `dispose` detaches
 * it from them. By hand, not AbortSignal.any: that exists only from Node 20.3 (agentwire runs on
 * any Node 20), and on some releases each combined signal stays referenced from its sources until
 * they abort, which a long-lived source (a conversation's) would collect.
 */
export function anySignal(signals: AbortSignal[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const listeners: Array<[AbortSignal, () => void]> = [];
  const dispose = (): void => {
    for (const [source, listener] of listeners.splice(0)) source.removeEventListener('abort', listener);
  };
  for (const source of signals) {
    if (source.aborted) {
      dispose();
      controller.abort(source.reason);
      break;
    }
    const listener = (): void => {
      dispose();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', listener, { once: true });
    listeners.push([source, listener]);
  }
  return { signal: controller.signal, dispose };
}
