import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A minimal environment for test commands: PATH to find programs, nothing that could leak in. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', ...extra };
}

/**
 * Whether a pid names a live process. Zombies count as dead: a killed grandchild is reparented to
 * pid 1, which in a container may never reap it, and its /proc entry then lingers.
 */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** The command line of a process, or [] once it is gone. */
export function cmdline(pid: number | string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return []; // exited while we looked
  }
}

/** What a process's open file descriptors point at (`/proc/<pid>/fd` links) that `match` accepts. */
export function openFiles(pid: number | 'self', match: (target: string) => boolean): string[] {
  const dir = `/proc/${pid}/fd`;
  const found: string[] = [];
  for (const fd of readdirSync(dir)) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${fd}`);
    } catch {
      continue; // closed while we looked (readdir's own descriptor)
    }
    if (match(target)) found.push(target);
  }
  return found;
}

/** Live pids whose command line contains `token`, for processes we cannot name by pid (other pid namespaces). */
export function pidsWithArgument(token: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && cmdline(entry).includes(token) && isAlive(Number(entry))) found.push(Number(entry));
  }
  return found;
}

/**
 * Polls until `check` holds or `ms` passes; returns whether it held. SIGKILL delivery is asynchronous: a killed
 * process leaves /proc only once the kernel schedules it again, which on a loaded 2-core machine (the whole suite,
 * or several suites, running at once) took over 3 s. The cap is generous because a passing check returns at once.
 */
export async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

let sleepTokens = 0;
/**
 * A `sleep` duration no other process uses, to find the sleeps by argument: pids seen inside a pid
 * namespace (the sandbox's, the command host's) mean nothing outside it. One counter for the whole
 * mocha process, so that no two specs hand out the same one.
 */
export function sleepToken(): string {
  return `30.${process.pid}${++sleepTokens}`;
}
