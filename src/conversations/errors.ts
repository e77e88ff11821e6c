/** Ends the running turn with `turn_aborted` (an interrupt, or an approval answered `abort`). */
export class TurnAbortedError extends Error {
  constructor(readonly reason: 'interrupted' | 'replaced' = 'interrupted') {
    super(`turn aborted: ${reason}`);
    this.name = 'TurnAbortedError';
  }
}
