import type { ChildProcess } from 'node:child_process';
import { inject, injectable, type InjectionToken } from 'tsyringe';
import { LOGGER, type Logger } from '../logging/logger';
import { CommandHostKeeper, type CommandHost, type CommandHostProgram } from './command-host';
import { HostedChild } from './hosted-child';
import { killTree as killProcessTree } from './kill-tree';
import { Lifeline } from './lifeline';

/** The process-group registry, for plugins that spawn processes (registered as the ProcessGroups singleton). */
export const PROCESS_GROUPS: InjectionToken<ProcessGroups> = Symbol.for('agentwire:ProcessGroups');

/** A child process of the server, or a command started for it by the command host. */
export type TrackedChild = ChildProcess | HostedChild;

/**
 * Every child process the server starts, so each one ends with the server. Children are spawned
 * detached (their own process group) and killed by group and by descendants, so grandchildren go
 * too, also those that started a session of their own. Its {@link Lifeline} ties unsandboxed
 * commands to the server for the case where the server is killed and cannot kill anything; where
 * that is a pid namespace, one long-lived command host in one namespace starts them all.
 */
@injectable()
export class ProcessGroups {
  private readonly children = new Set<TrackedChild>();
  /** How unsandboxed commands are made to die with the server. */
  readonly lifeline: Lifeline;
  private hosts: CommandHostKeeper;
  private readonly warn: (message: string) => void;

  constructor(@inject(LOGGER) log?: Logger) {
    this.warn = (message: string): void => log?.warn(message);
    this.lifeline = new Lifeline({ warn: this.warn });
    this.hosts = new CommandHostKeeper(this.lifeline, { warn: this.warn });
  }

  /**
   * Starts command hosts with these programs instead of the default ones (commandHostPrograms),
   * e.g. the Node host only; for embedders and tests, before the first command.
   */
  useCommandHostPrograms(programs: CommandHostProgram[]): void {
    this.hosts.stop();
    this.hosts = new CommandHostKeeper(this.lifeline, { warn: this.warn, programs });
  }

  /**
   * The command host that starts unsandboxed commands in the lifeline's pid namespace, started on
   * first use; undefined where each command is to be wrapped by {@link Lifeline.wrap} instead.
   */
  commandHost(): Promise<CommandHost | undefined> {
    return this.hosts.get();
  }

  /** Tracks a child spawned with `detached: true` (or by the command host); it is forgotten when it exits. */
  track(child: TrackedChild): void {
    if (child instanceof HostedChild) {
      this.children.add(child);
      const forget = (): void => void this.children.delete(child);
      child.once('exit', forget);
      child.once('error', forget); // it could not be started
      return;
    }
    if (child.pid === undefined) return;
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  get size(): number {
    return this.children.size;
  }

  /** Kills every tracked child with its process group and all its descendants, and the command host. */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.children) killTree(child, signal);
    this.children.clear();
    this.hosts.stop();
  }
}

/**
 * Kills a child, its process group and every descendant (kill-tree.ts); a hosted command through
 * its host, as its pid is one of the host's namespace.
 */
export function killTree(child: TrackedChild, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child instanceof HostedChild) child.killTree(signal);
  else killProcessTree(child, signal);
}
