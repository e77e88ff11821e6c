import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';

/** The two streams a client talks over: it writes the server's input and reads the server's output. */
export interface TransportPair {
  /** The server's stdin: the client writes one JSON message per line here. */
  writable: Writable;
  /** The server's stdout: one JSON message per line. */
  readable: Readable;
}

/** How to start a server process (`agentwire mcp`, or any command that speaks the protocol on stdio). */
export interface SpawnTarget {
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A line-based connection to a server: what the client needs of a transport. */
export interface LineConnection {
  send(line: string): void;
  onLine(listener: (line: string) => void): void;
  onClose(listener: () => void): void;
  close(): Promise<void>;
  /** The spawned process, when the client started one. */
  readonly process?: ChildProcessWithoutNullStreams;
}

/** Lines over a stream pair. readline splits the server's output (the client trusts its server). */
export function streamConnection(pair: TransportPair, process?: ChildProcessWithoutNullStreams): LineConnection {
  const lines = createInterface({ input: pair.readable, crlfDelay: Infinity });
  const closeListeners: Array<() => void> = [];
  lines.on('close', () => closeListeners.forEach((listener) => listener()));
  return {
    process,
    send: (line) => void pair.writable.write(line + '\n'),
    onLine: (listener) => void lines.on('line', listener),
    onClose: (listener) => void closeListeners.push(listener),
    async close() {
      pair.writable.end();
      if (process && process.exitCode === null && process.signalCode === null) {
        await new Promise<void>((resolve) => process.once('exit', () => resolve()));
      }
      lines.close();
    },
  };
}

/** Starts the server and connects to its stdio; its stderr is passed through to ours unless `stderr: 'pipe'`. */
export function spawnConnection(target: SpawnTarget, options: { stderr?: 'inherit' | 'pipe' } = {}): LineConnection {
  const child = spawn(target.command, target.args ?? [], { env: target.env, cwd: target.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.stderr !== 'pipe') child.stderr.pipe(process.stderr);
  child.stdin.on('error', () => undefined);
  return streamConnection({ writable: child.stdin, readable: child.stdout }, child);
}

/**
 * Two connected in-memory stream pairs, for running a server and a client in one process:
 * `server` is what `startServer({input, output})` takes, `client` what `connect()` takes.
 */
export function memoryTransportPair(): { client: TransportPair; server: { input: Readable; output: Writable } } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  return { client: { writable: toServer, readable: toClient }, server: { input: toServer, output: toClient } };
}
