import { descendantsOf } from './descendants';

/** What killing a process tree needs of a child process (a ChildProcess has all of it). */
export interface KillableChild {
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals): boolean;
}

/**
 * Kills a child, its process group and every descendant found under it in /proc. The descendants
 * are listed first: once the child dies, those that left its group are re-parented and can no
 * longer be told apart from anyone else's processes.
 */
export function killTree(child: KillableChild, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  const descendants = child.exitCode === null && child.signalCode === null ? descendantsOf(child.pid) : [];
  killGroup(child, signal);
  for (const pid of descendants) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Kills a child's whole process group; falls back to the child alone when it has no group of its own. */
export function killGroup(child: KillableChild, signal: NodeJS.Signals = 'SIGKILL'): void {
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
