import { readFileSync, readdirSync } from 'node:fs';
import { isAlive } from '../exec/helpers';

/**
 * Every live process below `pid` (from /proc), so a test can see that a task's processes are gone. Zombies do not
 * count: a killed child is listed until its parent reaps it, which is no process left running.
 */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let children: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        children.push(...readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
      }
    } catch {
      children = [];
    }
    for (const c of children) {
      if (isAlive(c)) out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Whether a command-line argument is a command host program: the Python one, or the Node one (bundled or compiled). */
export const isCommandHostArg = (arg: string): boolean => arg.endsWith('/command-host.py') || arg.endsWith('/command-host.cjs') || arg.endsWith('/command-host-main.js');

/**
 * The processes below `pid` that belong to commands: {@link descendants} without the server's command host (bwrap and
 * the host program, src/process/command-host.py or command-host-main.ts), which outlives every command by design.
 */
export function commandProcesses(pid: number): number[] {
  return descendants(pid).filter((p) => {
    try {
      return !readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').some(isCommandHostArg);
    } catch {
      return false; // gone
    }
  });
}

/**
 * Asks `poll` again (a protocol round trip each time, as a polling client does) until `done`
 * holds for its answer; fails after `timeoutMs`. Each round waits for the server's reply, not a
 * fixed sleep, plus a short pause so the loop does not spin.
 */
export async function pollUntil<T>(poll: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await poll();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}; last answer: ${JSON.stringify(last)?.slice(0, 500)}`);
}
