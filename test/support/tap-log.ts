import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonMessage } from './mcp-client';
import { schemaProblems } from './mcp-2026-schema';

/** The compiled stdio-tap program (test/support/stdio-tap.ts). */
export const TAP_ENTRY = join(__dirname, 'stdio-tap.js');

/** The command and arguments that run `command` behind the tap, logging its lines to `logFile`. */
export function tapped(logFile: string, command: string, args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [TAP_ENTRY, logFile, command, ...args] };
}

export interface TapLog {
  /** What the client wrote, in order. */
  sent: JsonMessage[];
  /** What the server wrote, in order. */
  received: JsonMessage[];
  /** Lines that were not JSON (stdout must carry only protocol messages). */
  stray: string[];
}

/** Reads a tap log (both directions; a client that spawns several processes appends them all). */
export function readTapLog(logFile: string): TapLog {
  const log: TapLog = { sent: [], received: [], stray: [] };
  if (!existsSync(logFile)) return log;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const body = line.slice(3);
    try {
      (line.startsWith('C> ') ? log.sent : log.received).push(JSON.parse(body) as JsonMessage);
    } catch {
      log.stray.push(line);
    }
  }
  return log;
}

/**
 * What is wrong with what the server wrote, under the official 2026-07-28 schema: every line JSON,
 * every message valid for its kind (the method of the request a response answers is read from the
 * client's side of the log).
 */
export function tapSchemaProblems(log: TapLog): string[] {
  const methods = new Map<unknown, string>();
  for (const m of log.sent) if (typeof m.method === 'string' && 'id' in m) methods.set(m.id, m.method);
  const problems = log.stray.map((line) => `not JSON: ${line.slice(0, 200)}`);
  for (const message of log.received) {
    for (const p of schemaProblems(message, (id) => methods.get(id))) problems.push(`${p} in ${JSON.stringify(message).slice(0, 300)}`);
  }
  return problems;
}
