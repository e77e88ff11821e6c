/**
 * The command host: a small program the server starts once, inside the lifeline's pid namespace
 * (see command-host.ts), that starts every unsandboxed command for it. The commands are its
 * children, so they share that one namespace: when the server dies, even by SIGKILL, bwrap dies,
 * the namespace's init goes with it and the kernel kills every command, whatever it forked. One
 * namespace for all commands instead of one per command saves setting up a namespace per command.
 *
 * It talks to the server over its stdin and stdout in the frames of frames.ts. Server to host:
 * spawn {id, argv, file?, cwd, env}, kill {id, signal}, release {id}. Host to server: ready, then per
 * command spawned {id, pid} or spawn-error {id, code, message}; data {id, stream} + bytes;
 * close {id, stream}; exit {id, code, signal}.
 *
 * It loads nothing but Node's builtins and a few foundation modules bundled with it
 * (dist/command-host.cjs), so that it starts fast and stays small.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Socket } from 'node:net';
import { encodeFrame, FrameDecoder, type Frame } from './frames';
import { killGroup, killTree } from './kill-tree';

type OutputStream = 'stdout' | 'stderr';

/** Running commands by the server's id, until the server releases them. */
const commands = new Map<number, ChildProcess>();

// Sockets of their own on fd 0 and 1: process.stdout writes to a pipe synchronously, which would
// block the host while the server is not reading, and would give no 'drain' to pause on.
const input = new Socket({ fd: 0, readable: true, writable: false });
const output = new Socket({ fd: 1, readable: false, writable: true });

/** The server is not reading fast enough: every command's pipes are paused until 'drain'. */
let blocked = false;

function send(header: Record<string, unknown>, payload?: Buffer): void {
  if (output.write(encodeFrame(header, payload)) || blocked) return;
  blocked = true;
  output.once('drain', () => {
    blocked = false;
    for (const child of commands.values()) {
      child.stdout?.resume();
      child.stderr?.resume();
    }
  });
}

function start(id: number, argv: string[], file: string | undefined, cwd: string, env: Record<string, string>): void {
  let child: ChildProcess;
  try {
    // As run-command.ts starts a command: no shell, stdin /dev/null, its own process group. By the
    // file the server found it as, when it says: execvp then tries no other PATH entry first.
    child = spawn(file ?? argv[0], argv.slice(1), { argv0: argv[0], cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
  } catch (e) {
    spawnError(id, e);
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (e) => spawnError(id, e));
    return;
  }
  commands.set(id, child);
  send({ type: 'spawned', id, pid: child.pid });
  const current = (): boolean => commands.get(id) === child;
  for (const stream of ['stdout', 'stderr'] as OutputStream[]) {
    const pipe = child[stream]!;
    pipe.on('data', (chunk: Buffer) => {
      if (!current()) return;
      send({ type: 'data', id, stream }, chunk);
      if (blocked) pipe.pause();
    });
    // Reading errors end the stream like EOF; 'close' follows.
    pipe.on('error', () => undefined);
    pipe.once('close', () => {
      if (current()) send({ type: 'close', id, stream });
    });
  }
  child.on('error', () => undefined); // a failed kill; the exit is reported anyway
  child.once('exit', (code, signal) => {
    if (current()) send({ type: 'exit', id, code, signal });
  });
}

function spawnError(id: number, e: unknown): void {
  const error = e as NodeJS.ErrnoException;
  send({ type: 'spawn-error', id, code: typeof error?.code === 'string' ? error.code : null, message: error instanceof Error ? error.message : String(e) });
}

function handle({ header }: Frame): void {
  const id = Number(header.id);
  switch (header.type) {
    case 'spawn':
      start(id, header.argv as string[], typeof header.file === 'string' ? header.file : undefined, header.cwd as string, header.env as Record<string, string>);
      break;
    case 'kill': {
      const child = commands.get(id);
      if (child) killTree(child, header.signal as NodeJS.Signals);
      break;
    }
    case 'release': {
      const child = commands.get(id);
      if (!child) break;
      commands.delete(id);
      killGroup(child, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (commands.size === 0) killLeftovers();
      break;
    }
    default:
      throw new Error(`unknown frame type ${String(header.type)}`);
  }
}

/**
 * Kills every process of the namespace but its init (bwrap, pid 1) and this host, once no command
 * runs. A process that left its command's group (setsid, a double fork) is re-parented to the init
 * when its parents exit, and then belongs to no command any more: in a namespace of its own per
 * command it died with that command; here it is found this way. While other commands run, their
 * own leftovers cannot be told apart from theirs, so the sweep waits until none runs.
 */
function killLeftovers(): void {
  // Only inside the lifeline's namespace, whose init (pid 1) is bwrap and this host's parent: the
  // same sweep in the machine's own pid namespace would kill every process of the user.
  if (process.ppid !== 1 || !namespaceInitIsBwrap()) return;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === 1 || pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

function namespaceInitIsBwrap(): boolean {
  try {
    return basename(readFileSync('/proc/1/cmdline', 'latin1').split('\0')[0]) === 'bwrap';
  } catch {
    return false;
  }
}

/** The server is gone or talks nonsense: nothing started here may outlive that. */
function quit(why?: string): never {
  if (why !== undefined) process.stderr.write(`agentwire command host: ${why}\n`);
  for (const child of commands.values()) killTree(child, 'SIGKILL');
  process.exit(why === undefined ? 0 : 1);
}

const decoder = new FrameDecoder();
input.on('data', (chunk: Buffer) => {
  try {
    for (const frame of decoder.push(chunk)) handle(frame);
  } catch (e) {
    quit(e instanceof Error ? e.message : String(e));
  }
});
input.on('error', () => quit());
input.on('end', () => quit());
output.on('error', () => quit());
send({ type: 'ready' });
