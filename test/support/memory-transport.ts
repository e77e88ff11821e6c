import type { Transport, TransportHandlers } from '../../src/transport/transport';

/** An in-process transport for router tests: lines go in with `deliver`, replies are collected parsed. */
export class MemoryTransport implements Transport {
  readonly sent: any[] = [];
  private handlers?: TransportHandlers;
  private waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  deliver(message: unknown): void {
    this.handlers!.onLine(typeof message === 'string' ? message : JSON.stringify(message));
  }

  deliverUnreadable(problem = 'bad bytes'): void {
    this.handlers!.onLine(undefined, problem);
  }

  end(reason = 'test ended'): void {
    this.handlers!.onClose(reason);
  }

  send(line: string): void {
    const message = JSON.parse(line);
    this.sent.push(message);
    for (const w of [...this.waiters]) {
      if (w.match(message)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  }

  /** Whether the router asked to stop reading (tests deliver regardless). */
  held = false;
  holdInput(held: boolean): void {
    this.held = held;
  }

  flush(): void {}
  close(): void {}

  /** The first sent message matching, now or later. */
  next(match: (m: any) => boolean): Promise<any> {
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  reply(id: unknown): Promise<any> {
    return this.next((m) => m.id === id && ('result' in m || 'error' in m));
  }
}
