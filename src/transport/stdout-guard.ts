import { format } from 'node:util';

/**
 * Keeps stdout for the protocol once the transport holds its own reference to it: anything else
 * that writes there (a plugin's console.log, a library's process.stdout.write) is sent to stderr
 * instead of breaking the JSON-RPC stream.
 */
export function guardStdout(): void {
  const toStderr = (...args: unknown[]) => void process.stderr.write(format(...args) + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.dir = (obj: unknown) => toStderr(obj);
  process.stdout.write = (chunk: unknown, encoding?: unknown, cb?: unknown) => (process.stderr.write as (...a: unknown[]) => boolean)(chunk, encoding, cb);
}
