import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every living descendant of `root`, from the parent links in `/proc/<pid>/stat`: the processes
 * that left the command's process group (`setsid`, `setpgid`) are found too, as long as the chain
 * of parents up to `root` still exists. Empty where there is no `/proc` (not Linux).
 *
 * Written by hand: no maintained npm package reads the process tree without spawning `ps`, and a
 * kill path must not wait for a child process of its own.
 */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(name);
    if (ppid === undefined) continue;
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  const found: number[] = [];
  const queue = [root];
  const seen = new Set<number>(queue);
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The parent pid in `/proc/<pid>/stat`; the command name (field 2) may hold spaces and parentheses. */
function parentOf(pid: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}
