import type { ChildProcess } from 'node:child_process';

/**
 * Every child process the server starts, so each one ends with the server. Children are spawned
 * detached (their own process group) and killed by group, so grandchildren go too.
 */
export class ProcessGroups {
  private readonly children = new Set<ChildProcess>();

  /** Tracks a child spawned with `detached: true`; it is forgotten when it exits. */
  track(child: ChildProcess): void {
    if (child.pid === undefined) return;
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  get size(): number {
    return this.children.size;
  }

  /** Sends `signal` to the process group of every tracked child. */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.children) killGroup(child, signal);
    this.children.clear();
  }
}

/** Kills a child's whole process group; falls back to the child alone when it has no group of its own. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
