import type { ChildProcess } from 'node:child_process';
import { inject, injectable, type InjectionToken } from 'tsyringe';
import { LOGGER, type Logger } from '../logging/logger';
import { descendantsOf } from './descendants';
import { Lifeline } from './lifeline';

/** The process-group registry, for plugins that spawn processes (registered as the ProcessGroups singleton). */
export const PROCESS_GROUPS: InjectionToken<ProcessGroups> = Symbol.for('agentwire:ProcessGroups');

/**
 * Every child process the server starts, so each one ends with the server. Children are spawned
 * detached (their own process group) and killed by group and by descendants, so grandchildren go
 * too, also those that started a session of their own. Its {@link Lifeline} ties unsandboxed
 * commands to the server for the case where the server is killed and cannot kill anything.
 */
@injectable()
export class ProcessGroups {
  private readonly children = new Set<ChildProcess>();
  /** How unsandboxed commands are made to die with the server. */
  readonly lifeline: Lifeline;

  constructor(@inject(LOGGER) log?: Logger) {
    this.lifeline = new Lifeline({ warn: (message) => log?.warn(message) });
  }

  /** Tracks a child spawned with `detached: true`; it is forgotten when it exits. */
  track(child: ChildProcess): void {
    if (child.pid === undefined) return;
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  get size(): number {
    return this.children.size;
  }

  /** Kills every tracked child with its process group and all its descendants. */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.children) killTree(child, signal);
    this.children.clear();
  }
}

/**
 * Kills a child, its process group and every descendant found under it in /proc. The descendants
 * are listed first: once the child dies, those that left its group are re-parented and can no
 * longer be told apart from anyone else's processes.
 */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
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
