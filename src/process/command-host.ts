import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { encodeFrame, FrameDecoder, type Frame } from './frames';
import { HostedChild, type HostLink } from './hosted-child';
import { findOnPath, type Lifeline } from './lifeline';

/**
 * How long a killed command may take to report its exit before the host is taken for stuck and
 * ended (with its namespace and every command in it). The host shares its namespace with the
 * commands, so a command can stop it (SIGSTOP) or starve it; the server's own kill of bwrap is
 * what cannot be prevented from inside.
 */
export const KILL_ANSWER_MS = 2000;

/**
 * One running command host (command-host-main.ts in the lifeline's pid namespace), seen from the
 * server: starts commands in it as {@link HostedChild}ren and routes the host's frames to them.
 * When the host ends, for whatever reason, bwrap is killed (which ends the namespace and every
 * command in it) and every command still running ends as killed by SIGKILL.
 */
export class CommandHost implements HostLink {
  private readonly children = new Map<number, HostedChild>();
  private readonly decoder = new FrameDecoder();
  private nextId = 1;
  private ended = false;
  /** Finished commands the host is still to be told to forget (see release). */
  private pendingReleases: number[] = [];
  private releasesScheduled = false;
  /** The kills not yet answered by an exit, by command id (see {@link KILL_ANSWER_MS}). */
  private readonly killWatch = new Map<number, NodeJS.Timeout>();

  private constructor(private readonly proc: ChildProcess) {}

  /**
   * Starts `argv` (bwrap running the host program) and resolves once the host says it is ready;
   * rejects with the reason when it exits, fails or says nothing within `timeoutMs`.
   */
  static start(argv: string[], timeoutMs: number): Promise<CommandHost> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    return new Promise((resolveStart, rejectStart) => {
      let proc: ChildProcess;
      try {
        // Its own process group, as every command had: a terminal's Ctrl-C to the server's group
        // does not reach the commands. No environment: each command gets its own in the spawn frame,
        // and nothing (NODE_OPTIONS, say) may load code into the host.
        proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], detached: true, env: {}, windowsHide: true });
      } catch (e) {
        rejectStart(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const host = new CommandHost(proc);
      let ready = false;
      const timer = setTimeout(() => host.end(`no answer within ${timeoutMs} ms`), timeoutMs);
      host.onReady = () => {
        ready = true;
        clearTimeout(timer);
        host.updateRef();
        resolveStart(host);
      };
      host.onEnd = (why) => {
        clearTimeout(timer);
        if (!ready) rejectStart(new Error(why));
      };
      proc.once('error', (e) => host.end(e.message));
      proc.once('exit', (code, signal) => host.end(`it exited (${signal ?? `status ${code}`})`));
      proc.stdin!.on('error', () => undefined); // EPIPE once the host is gone; 'exit' says so
      proc.stdout!.on('data', (chunk: Buffer) => host.receive(chunk));
      // Before it is ready, its exit (or the time limit) says why it did not start.
      proc.stdout!.once('close', () => ready && host.end('its output closed'));
    });
  }

  /** The pid of bwrap, the server's child that holds the host's namespace. */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** False once the host has ended; a fresh one is then started for the next command. */
  get alive(): boolean {
    return !this.ended;
  }

  /** Commands started and not yet released. */
  get size(): number {
    return this.children.size;
  }

  /**
   * Starts a command: no shell, stdin /dev/null, stdout and stderr piped, its own process group.
   * `file`, when given, is where `argv[0]` was found (findProgram); the command still sees `argv[0]`.
   */
  spawn(argv: string[], cwd: string, env: Record<string, string>, file?: string): HostedChild {
    // A command released in this step is forgotten by the host first, as if released at once.
    this.sendReleases();
    const child = new HostedChild(this, this.nextId++);
    if (this.ended) {
      queueMicrotask(() => child.hostEnded());
      return child;
    }
    this.children.set(child.id, child);
    this.updateRef();
    const dir = resolve(cwd);
    // bwrap --chdir set PWD for each command when each had a namespace of its own; keep that.
    this.send({ type: 'spawn', id: child.id, argv, ...(file === undefined ? {} : { file }), cwd: dir, env: { ...env, PWD: dir } });
    return child;
  }

  /**
   * Tells the host to forget a finished command: at the end of this step, or before the next spawn
   * frame if one comes first. The host kills what is left of the command's group then, and, with
   * no command left, clears its namespace of leftovers (a listing of /proc in Python). Done in the
   * same step, that work shared the other core with the command's end reaching the client and the
   * next model request going out (referee bench A/B: exec_command_begin -> end 0.85-0.96x, shell
   * turn p90 0.89-0.92x).
   */
  release(id: number): void {
    this.pendingReleases.push(id);
    if (this.releasesScheduled) return;
    this.releasesScheduled = true;
    setImmediate(() => this.sendReleases());
  }

  private sendReleases(): void {
    this.releasesScheduled = false;
    if (this.pendingReleases.length === 0) return;
    const ids = this.pendingReleases;
    this.pendingReleases = [];
    for (const id of ids) this.send({ type: 'release', id });
  }

  send(header: Record<string, unknown>): void {
    if (this.ended) return;
    this.proc.stdin!.write(encodeFrame(header));
    if (header.type === 'kill') this.expectExit(Number(header.id));
  }

  /** A kill that the host does not answer with the command's exit in time ends the host, and with it the command. */
  private expectExit(id: number): void {
    if (this.killWatch.has(id)) return;
    const timer = setTimeout(() => {
      this.killWatch.delete(id);
      const child = this.children.get(id);
      if (child && child.exitCode === null && child.signalCode === null) this.end(`a killed command did not end within ${KILL_ANSWER_MS} ms`);
    }, KILL_ANSWER_MS);
    timer.unref();
    this.killWatch.set(id, timer);
  }

  forget(id: number): void {
    clearTimeout(this.killWatch.get(id));
    this.killWatch.delete(id);
    if (this.children.delete(id)) this.updateRef();
  }

  /** Kills the host; its namespace and every command in it go with bwrap. */
  stop(): void {
    this.end('stopped');
  }

  private onReady?: () => void;
  private onEnd?: (why: string) => void;

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.end(e instanceof Error ? e.message : String(e));
      return;
    }
    for (const frame of frames) this.route(frame);
  }

  private route({ header, payload }: Frame): void {
    if (header.type === 'ready') {
      this.onReady?.();
      return;
    }
    const child = this.children.get(Number(header.id));
    if (!child) return; // released meanwhile
    switch (header.type) {
      case 'spawned':
        child.spawned(Number(header.pid));
        break;
      case 'spawn-error':
        child.spawnFailed(typeof header.code === 'string' ? header.code : null, String(header.message));
        break;
      case 'data':
        child.data(header.stream === 'stderr' ? 'stderr' : 'stdout', payload);
        break;
      case 'close':
        child.closed(header.stream === 'stderr' ? 'stderr' : 'stdout');
        break;
      case 'exit':
        clearTimeout(this.killWatch.get(child.id));
        this.killWatch.delete(child.id);
        child.exited(typeof header.code === 'number' ? header.code : null, typeof header.signal === 'string' ? (header.signal as NodeJS.Signals) : null);
        break;
    }
  }

  private end(why: string): void {
    if (this.ended) return;
    this.ended = true;
    try {
      // SIGKILL to bwrap is enough: with --die-with-parent the namespace's init gets SIGKILL too,
      // and the kernel then kills everything in the namespace.
      this.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
    this.proc.stdout?.destroy();
    this.proc.stdin?.destroy();
    for (const timer of this.killWatch.values()) clearTimeout(timer);
    this.killWatch.clear();
    const children = [...this.children.values()];
    this.children.clear();
    for (const child of children) child.hostEnded();
    this.onEnd?.(why);
  }

  /** The host keeps the server's event loop alive only while commands run in it, as their own processes did. */
  private updateRef(): void {
    const stdout = this.proc.stdout as Socket | null;
    if (this.children.size > 0) {
      this.proc.ref();
      stdout?.ref();
    } else {
      this.proc.unref();
      stdout?.unref();
      (this.proc.stdin as Socket | null)?.unref();
    }
  }
}

/**
 * Where python3 is looked for: the system's folders, not the server's PATH. The host runs outside
 * every sandbox, and a folder on PATH may be one the model can write (a workspace's `bin/`, say).
 */
const PYTHON_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'].join(delimiter);

/** How a command host is started: its argv (before the lifeline wraps it), and what to call it in messages. */
export interface CommandHostProgram {
  name: string;
  argv: string[];
}

/**
 * The programs a command host can be started with, in the order tried: the Python host
 * (command-host.py, where there is a python3 in `searchPath`, the system's folders by default),
 * which starts commands with posix_spawn, as vfork, and so ~0.6 ms sooner than Node's fork (see that
 * file), then the Node host (command-host-main.ts). Each is found next to the bundle (dist/) or next
 * to this file (build/).
 */
export function commandHostPrograms(dir: string = __dirname, searchPath: string = PYTHON_DIRS): CommandHostProgram[] {
  const programs: CommandHostProgram[] = [];
  const python = findBinaryOnPath('python3', searchPath);
  const pythonScript = join(dir, 'command-host.py');
  // -I: no PYTHON* variables, no user site, not the script's folder on sys.path; -S: no site module.
  if (python !== undefined && existsSync(pythonScript)) programs.push({ name: 'python', argv: [python, '-I', '-S', pythonScript] });
  const nodeScript = [join(dir, 'command-host.cjs'), join(dir, 'command-host-main.js')].find((path) => existsSync(path));
  programs.push({ name: 'node', argv: [process.execPath, '--max-old-space-size=32', nodeScript ?? join(dir, 'command-host.cjs')] });
  return programs;
}

/**
 * The first `name` along a search path (absolute entries only, as findOnPath) that is an ELF program, not a
 * script: a version manager's shim (pyenv's python3 is a bash script) chooses an interpreter from the
 * files around it and took ~87 ms to start the host here instead of ~19 ms.
 */
function findBinaryOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = findOnPath(name, dir);
    if (candidate !== undefined && isElf(candidate)) return candidate;
  }
  return undefined;
}

function isElf(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The command host of a server: started on the first unsandboxed command, reused for all others,
 * started afresh after it died. Where the lifeline is no pid namespace, or no host program can
 * start (then said once), there is none and each command is wrapped on its own ({@link Lifeline.wrap}).
 */
export class CommandHostKeeper {
  private current?: CommandHost;
  private starting?: Promise<CommandHost | undefined>;
  private unavailable = false;
  /** Stopped with the server: no host is started any more, and one that was starting is killed when it arrives. */
  private stopped = false;
  /** The programs still to try, the one that started last first. */
  private programs?: CommandHostProgram[];

  constructor(
    private readonly lifeline: Lifeline,
    private readonly options: { warn?: (message: string) => void; programs?: CommandHostProgram[]; timeoutMs?: number } = {},
  ) {}

  /** The running host, started if need be; undefined when commands are to be wrapped one by one. */
  get(): Promise<CommandHost | undefined> {
    if (this.current?.alive) return Promise.resolve(this.current);
    if (this.unavailable || this.stopped) return Promise.resolve(undefined);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Kills the running host, and with it every command in it. */
  stop(): void {
    this.stopped = true;
    this.current?.stop();
    this.current = undefined;
  }

  private async start(): Promise<CommandHost | undefined> {
    this.programs ??= this.options.programs ?? commandHostPrograms();
    const failures: string[] = [];
    while (this.programs.length > 0) {
      const program = this.programs[0];
      const argv = await this.lifeline.hostCommand(program.argv);
      if (argv === undefined) {
        this.unavailable = true; // no pid namespace here; the lifeline has said so
        return undefined;
      }
      try {
        const host = await CommandHost.start(argv, this.options.timeoutMs ?? 10_000);
        if (this.stopped) {
          host.stop();
          return undefined;
        }
        this.current = host;
        return host;
      } catch (e) {
        // Not tried again (a Python without os.pidfd_open, say); the next program is.
        failures.push(`${program.name}: ${e instanceof Error ? e.message : String(e)}`);
        this.programs.shift();
        if (this.stopped) return undefined;
      }
    }
    this.unavailable = true;
    this.options.warn?.(`the command host cannot start (${failures.join('; ')}); each unsandboxed command gets a pid namespace of its own`);
    return undefined;
  }
}
