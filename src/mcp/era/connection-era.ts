/** The three states of a connection (MCP-2026.md §1): nothing decided yet, or one era for the life of the process. */
export type EraState = 'undecided' | 'handshake' | 'modern';

/**
 * Which era this stdio connection speaks. One per process (a container singleton): the first
 * request that decides locks it, and it never changes after that. Read by the EraGate only.
 */
export class ConnectionEra {
  private state: EraState = 'undecided';
  private opener?: string;

  get current(): EraState {
    return this.state;
  }

  /** The method of the request that decided the era (for error messages). */
  get openedBy(): string | undefined {
    return this.opener;
  }

  /** Locks the era; a second lock is ignored (the first decision stands). */
  lock(era: 'handshake' | 'modern', method: string): void {
    if (this.state !== 'undecided') return;
    this.state = era;
    this.opener = method;
  }
}
