/** The three states of a connection (MCP-2026.md §1): nothing decided yet, or one era for the life of the process. */
export type EraState = 'undecided' | 'handshake' | 'modern';

/**
 * Which era this stdio connection speaks. One per process (a container singleton): the first
 * request that decides locks it, and it never changes after that. Read by the EraGate only.
 */
export class ConnectionEra {
  private state: EraState = 'undecided';

  get current(): EraState {
    return this.state;
  }

  /** Locks the era; a second lock is ignored (the first decision stands). */
  lock(era: 'handshake' | 'modern'): void {
    if (this.state === 'undecided') this.state = era;
  }
}
