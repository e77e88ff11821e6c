/**
 * A pass-through between a real MCP client and the server it spawns, for tests that must see the
 * raw lines while a client library owns the pipes:
 *
 *     node build/test/support/stdio-tap.js LOG_FILE COMMAND [ARGS...]
 *
 * runs COMMAND with piped stdin/stdout (stderr inherited), copies every byte both ways unchanged,
 * and appends each complete line to LOG_FILE as `C> line` (client to server) or `S> line`. It ends
 * with the server (same exit code or signal), passes SIGTERM/SIGINT on, and closes the server's
 * stdin when its own closes, so the client's shutdown reaches the server as it would directly.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const [logFile, command, ...args] = process.argv.slice(2);
if (!logFile || !command) {
  process.stderr.write('usage: stdio-tap LOG_FILE COMMAND [ARGS...]\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });

/** Splits a byte stream into lines for the log; the bytes themselves are forwarded as they come. */
function lineLogger(prefix: string): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      appendFileSync(logFile, `${prefix} ${pending.slice(0, nl)}\n`);
      pending = pending.slice(nl + 1);
    }
  };
}

const logIn = lineLogger('C>');
const logOut = lineLogger('S>');
process.stdin.on('data', (chunk: Buffer) => {
  logIn(chunk);
  child.stdin.write(chunk);
});
process.stdin.on('end', () => child.stdin.end());
child.stdin.on('error', () => undefined);
child.stdout.on('data', (chunk: Buffer) => {
  logOut(chunk);
  process.stdout.write(chunk);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));

child.on('close', (code, signal) => {
  // Exit only once everything the server wrote has reached our stdout.
  process.stdout.write('', () => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
});
