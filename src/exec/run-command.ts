import type { Readable } from 'node:stream';
import { findProgram } from '../process/find-program';
import type { CommandHost } from '../process/command-host';
import { HostedChild } from '../process/hosted-child';
import { killTree, type ProcessGroups, type TrackedChild } from '../process/process-groups';
import { os } from '../runtime/lazy-os';

/** Which pipe a chunk of output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** What {@link runCommand} needs to start one command. */
export interface RunCommandOptions {
  /** Program and arguments; run directly, never through a shell. */
  argv: string[];
  /** Working directory of the command. */
  cwd: string;
  /** The complete environment of the command (nothing else is inherited); PATH in it finds the program. */
  env: Record<string, string>;
  /** Wall-clock limit; zero, negative or non-finite means no limit. */
  timeoutMs: number;
  /** Aborting it kills the command's whole process group. */
  signal: AbortSignal;
  /** Called with every chunk of output as it arrives, also past the capture cap. */
  onOutput?: (stream: OutputStream, chunk: Buffer) => void;
  /**
   * Registry that kills the command if the server stops first; its lifeline also makes an
   * unsandboxed command die with a server that is killed. Without it (embedding, tests) the
   * command is tied to nothing.
   */
  groups?: ProcessGroups;
  /**
   * argv is already wrapped in bubblewrap ({@link runSandboxed} does that): the sandbox dies with
   * the server and reports a missing program itself, so no lifeline and no program lookup.
   */
  sandboxed?: boolean;
}

/** How a command ended. Command failures are described here, never thrown. */
export interface ExecResult {
  /** The exit status; -1 after a timeout, an abort or a death by signal; 127 when the program was not found. */
  exitCode: number;
  /** The first {@link MAX_CAPTURE_BYTES} of stdout, decoded as UTF-8 (invalid bytes become U+FFFD). */
  stdout: string;
  /** The first {@link MAX_CAPTURE_BYTES} of stderr, decoded likewise. */
  stderr: string;
  /** stdout and stderr interleaved in arrival order, capped at {@link MAX_CAPTURE_BYTES} too. */
  aggregated: string;
  /** Bytes received beyond the cap and not kept, per capture. */
  droppedBytes: { stdout: number; stderr: number; aggregated: number };
  /** From just before the spawn until the result was ready, in milliseconds (fractional). */
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
  /** The signal that ended the direct child, when one did. */
  signal?: NodeJS.Signals;
  /** Why the program could not be started, worded like Rust's io::Error, e.g. `No such file or directory (os error 2)`. */
  spawnError?: string;
  /** True when the command ran inside bubblewrap. */
  sandboxed: boolean;
  /** Set when a sandbox was required but cannot be created; the command was then not run at all. */
  sandboxUnavailable?: string;
}

/** The most output kept per capture (stdout, stderr, aggregated), like 0.29's 1 MiB (SANDBOX.md §4). */
export const MAX_CAPTURE_BYTES = 1024 * 1024;

/**
 * How long the pipes may stay open after the direct child exited while still delivering data. A
 * background grandchild inheriting stdout would otherwise keep the command "running" forever.
 */
const PIPE_IDLE_GRACE_MS = 100;
/** Upper bound on that grace, so a grandchild that keeps writing cannot extend it indefinitely. */
const PIPE_MAX_GRACE_MS = 2000;
/** setTimeout overflows above this and fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs one command to completion: no shell, stdin `/dev/null`, its own process group, output streamed
 * to `onOutput` and captured up to 1 MiB per stream. On timeout or abort the whole process group is
 * killed. After the direct child exits, descendants still holding the pipes get a short grace, then
 * the group is killed and reading stops. Never rejects for anything the command does.
 */
export async function runCommand(opts: RunCommandOptions): Promise<ExecResult> {
  const started = process.hrtime.bigint();
  let argv = opts.argv;
  let host: CommandHost | undefined;
  /** The file to start for an unsandboxed command's name, when the lookup gives one (findProgram). */
  let program: string | undefined;
  const sandboxed = opts.sandboxed === true;
  if (opts.signal.aborted) return emptyResult(started, { exitCode: -1, aborted: true, sandboxed });
  if (argv.length === 0 || argv[0] === '') {
    return emptyResult(started, { exitCode: -1, spawnError: 'empty command', sandboxed });
  }
  if (!sandboxed) {
    // The wrapper would turn "program not found" into its own exit status 1; find it first so
    // the result says 127 and ENOENT as a plain spawn does.
    const found = findProgram(argv[0], opts.env.PATH, opts.cwd);
    if ('error' in found) return emptyResult(started, spawnFailure(Object.assign(new Error(found.error), { code: found.error })));
    program = found.file;
    // Started by the command host in the lifeline's one pid namespace where there is one, else
    // wrapped in a lifeline of its own.
    host = await opts.groups?.commandHost();
    if (opts.groups && !host) argv = await opts.groups.lifeline.wrap(argv, opts.cwd);
    if (opts.signal.aborted) return emptyResult(started, { exitCode: -1, aborted: true, sandboxed });
  }
  return new Promise<ExecResult>((resolve) => execute(argv, opts, started, sandboxed, resolve, host, program));
}

function execute(argv: string[], opts: RunCommandOptions, started: bigint, sandboxed: boolean, resolve: (r: ExecResult) => void, host?: CommandHost, program?: string): void {
  let child: TrackedChild;
  // Required on first use, not at start-up (see lifeline.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  try {
    child = host
      ? host.spawn(argv, opts.cwd, opts.env, program)
      : spawn(argv[0], argv.slice(1), {
          cwd: opts.cwd,
          env: opts.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
          shell: false,
          windowsHide: true,
        });
  } catch (err) {
    // Synchronous failures are argument errors, e.g. a NUL byte inside an argument.
    resolve(emptyResult(started, { ...spawnFailure(err), sandboxed }));
    return;
  }

  const out = new Capture();
  const err = new Capture();
  const all = new Capture();
  let openPipes = 0;
  let exited = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let timedOut = false;
  let aborted = false;
  let finished = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let graceDeadline = 0;

  const killAll = (): void => {
    // By group id, so it works after the direct child is gone too (the group lives on while any
    // member does), and by descendants, for those that left the group with setsid.
    // A hosted command is killed through its host, also before the host has said its pid.
    killTree(child, 'SIGKILL');
  };

  const finish = (spawnError?: string, errorCode?: number): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timeoutTimer);
    clearTimeout(graceTimer);
    opts.signal.removeEventListener('abort', onAbort);
    // The group goes whatever the ending: a descendant may have forked while a first kill was in
    // flight, or a background process may have let go of the pipes and would outlive the command
    // (no process outlives its turn). Its pid stays reserved while the group has members.
    // A hosted command that has exited needs no kill of its own: its release (one frame, not two)
    // kills what is left of its group, as the kill would (the host lists no descendants of a
    // command it has seen exit).
    if (!(child instanceof HostedChild && exited)) killAll();
    for (const pipe of [child.stdout, child.stderr]) pipe?.destroy();
    if (child instanceof HostedChild) child.release();
    let code: number;
    if (spawnError !== undefined) code = errorCode ?? -1;
    else if (timedOut || aborted || exitCode === null) code = -1;
    else code = exitCode;
    resolve({
      exitCode: code,
      stdout: out.text(),
      stderr: err.text(),
      aggregated: all.text(),
      droppedBytes: { stdout: out.dropped, stderr: err.dropped, aggregated: all.dropped },
      durationMs: elapsedMs(started),
      timedOut,
      aborted,
      ...(exitSignal ? { signal: exitSignal } : {}),
      ...(spawnError !== undefined ? { spawnError } : {}),
      sandboxed,
    });
  };

  const armGrace = (): void => {
    clearTimeout(graceTimer);
    const wait = Math.max(0, Math.min(PIPE_IDLE_GRACE_MS, graceDeadline - Date.now()));
    graceTimer = setTimeout(() => {
      // Whatever still holds the pipes is a leftover descendant of a command that has finished.
      killAll();
      finish();
    }, wait);
  };

  const onAbort = (): void => {
    if (finished) return;
    aborted = true;
    killAll();
  };

  const watch = (pipe: Readable | null, stream: OutputStream, capture: Capture): void => {
    if (!pipe) return;
    openPipes++;
    pipe.on('data', (chunk: Buffer) => {
      if (finished) return;
      capture.push(chunk);
      all.push(chunk);
      if (opts.onOutput) {
        try {
          opts.onOutput(stream, chunk);
        } catch {
          // A failing listener must not leave the command running unobserved.
        }
      }
      if (exited) armGrace();
    });
    // Reading errors (EIO and the like) end the stream like EOF; 'close' follows.
    pipe.on('error', () => undefined);
    pipe.once('close', () => {
      openPipes--;
      if (exited && openPipes === 0) finish();
    });
  };

  child.once('error', (e: Error) => {
    // With a pid the process did start; this is then a failed kill, which the exit path covers.
    if (child.pid === undefined) finish(...spawnFailureArgs(e));
  });
  // A hosted command has its pid once the host has started it; its 'error' says when it could not.
  if (child.pid === undefined && !(child instanceof HostedChild)) return; // the 'error' event above will report why

  opts.groups?.track(child);
  watch(child.stdout, 'stdout', out);
  watch(child.stderr, 'stderr', err);

  child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    exited = true;
    exitCode = code;
    exitSignal = signal;
    if (openPipes === 0) {
      finish();
      return;
    }
    graceDeadline = Date.now() + PIPE_MAX_GRACE_MS;
    armGrace();
  });

  if (Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0) {
    timeoutTimer = setTimeout(
      () => {
        if (finished) return;
        timedOut = true;
        killAll();
      },
      Math.min(opts.timeoutMs, MAX_TIMER_MS),
    );
  }
  opts.signal.addEventListener('abort', onAbort, { once: true });
  // The signal may have fired between the check in runCommand and the listener being added.
  if (opts.signal.aborted) onAbort();
}

/** Keeps the first MAX_CAPTURE_BYTES of a stream and counts the rest. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;

  push(chunk: Buffer): void {
    const room = MAX_CAPTURE_BYTES - this.kept;
    if (chunk.length <= room) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(chunk.subarray(0, room));
      this.kept += room;
    }
    this.dropped += chunk.length - Math.max(room, 0);
  }

  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The result of a command that was never started (a sandbox that cannot be created, say). */
export function notStartedResult(fields: Partial<ExecResult> & { exitCode: number }): ExecResult {
  return emptyResult(process.hrtime.bigint(), fields);
}

function emptyResult(started: bigint, fields: Partial<ExecResult> & { exitCode: number }): ExecResult {
  return {
    stdout: '',
    stderr: '',
    aggregated: '',
    droppedBytes: { stdout: 0, stderr: 0, aggregated: 0 },
    durationMs: elapsedMs(started),
    timedOut: false,
    aborted: false,
    sandboxed: false,
    ...fields,
  };
}

/** strerror texts for the errors spawning can plausibly produce; Node only gives the code. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ETXTBSY: 'Text file busy',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EAGAIN: 'Resource temporarily unavailable',
};

/** Exit codes a shell would give: 127 for "not found", 126 for "found but not runnable". */
const SHELL_STATUS: Record<string, number> = { ENOENT: 127, EACCES: 126, ENOEXEC: 126, EISDIR: 126, ENOTDIR: 126 };

function spawnFailureArgs(e: unknown): [string, number] {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code in STRERROR) {
    const errno = (os().constants.errno as Record<string, number>)[code];
    const text = errno === undefined ? STRERROR[code] : `${STRERROR[code]} (os error ${errno})`;
    return [text, SHELL_STATUS[code] ?? -1];
  }
  return [e instanceof Error ? e.message : String(e), -1];
}

function spawnFailure(e: unknown): { exitCode: number; spawnError: string } {
  const [spawnError, exitCode] = spawnFailureArgs(e);
  return { exitCode, spawnError };
}
