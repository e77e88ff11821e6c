import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { os } from '../runtime/lazy-os';

/** What a {@link HostedChild} asks of its command host. */
export interface HostLink {
  send(header: Record<string, unknown>): void;
  /** Tells the host to forget a finished command, soon (see CommandHost.release). */
  release(id: number): void;
  /** Forgets the command: its frames are no longer routed to it. */
  forget(id: number): void;
}

/**
 * A command started by the command host (command-host-main.ts), seen from the server: what
 * run-command.ts uses of a ChildProcess. `pid` is set once the host has started it ('spawn'), and
 * is a pid of the host's namespace, so it is killed through the host ({@link killTree}), never by
 * pid from here. Its stdout and stderr end when the host reports the pipe closed; 'exit' carries
 * the exit code and signal; 'error' before 'spawn' says why it could not be started.
 */
export class HostedChild extends EventEmitter {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  // Nothing to ask the host for on read: the host pauses the pipes itself when the server is slow
  // (backpressure on its stdout), and run-command reads everything as it comes.
  readonly stdout = new Readable({ read: () => undefined });
  readonly stderr = new Readable({ read: () => undefined });
  private ended = false;

  constructor(
    private readonly host: HostLink,
    readonly id: number,
  ) {
    super();
  }

  /** Kills the command, its process group and its descendants, inside the host's namespace. */
  killTree(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.ended) this.host.send({ type: 'kill', id: this.id, signal });
  }

  /** The command is done with: the host kills what is left of its group and forgets it. */
  release(): void {
    this.stdout.destroy();
    this.stderr.destroy();
    if (this.ended) return;
    this.ended = true;
    this.host.release(this.id);
    this.host.forget(this.id);
  }

  /** @internal The host started it. */
  spawned(pid: number): void {
    this.pid = pid;
    this.emit('spawn');
  }

  /** @internal The host could not start it (`code` is the errno name, as on a spawn error of Node). */
  spawnFailed(code: string | null, message: string): void {
    this.ended = true;
    this.host.forget(this.id);
    this.emit('error', Object.assign(new Error(message), code === null ? {} : { code }));
  }

  /** @internal Output from the command. */
  data(stream: 'stdout' | 'stderr', bytes: Buffer): void {
    if (!this[stream].destroyed) this[stream].push(bytes);
  }

  /** @internal A pipe of the command reached its end. */
  closed(stream: 'stdout' | 'stderr'): void {
    if (!this[stream].destroyed) this[stream].push(null);
  }

  /**
   * @internal The command exited. A death by signal is reported as 128 + the signal, as the
   * per-command bwrap, the init of the command's own namespace, reported it before (and as a shell does).
   */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    const signo = signal === null ? undefined : (os().constants.signals as Record<string, number>)[signal];
    this.exitCode = code ?? (signo === undefined ? null : 128 + signo);
    this.signalCode = this.exitCode === null ? signal : null;
    this.emit('exit', this.exitCode, this.signalCode);
  }

  /** @internal The host died: the kernel killed the command with the namespace. */
  hostEnded(): void {
    if (this.pid === undefined) {
      if (!this.ended) this.spawnFailed(null, 'the command host ended before the command started');
      return;
    }
    this.ended = true;
    if (this.exitCode === null && this.signalCode === null) {
      this.signalCode = 'SIGKILL';
      this.emit('exit', null, 'SIGKILL');
    }
    this.closed('stdout');
    this.closed('stderr');
  }
}
