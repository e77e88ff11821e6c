import { readFileSync } from 'node:fs';
import type { TaskOwner } from './task-record';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The kernel's boot id (Linux); undefined elsewhere. */
function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks after boot); undefined if unreadable. */
export function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19];
}

let self: TaskOwner | undefined;

/** This process, as a task owner. */
export function currentOwner(): TaskOwner {
  self ??= { pid: process.pid, boot: bootId(), start: processStart(process.pid) };
  return self;
}

/**
 * Whether the process that recorded a task still runs. A different boot, a pid that no longer
 * exists, or a pid now held by a process that started at another time: all mean it died.
 */
export function isOwnerAlive(owner: TaskOwner): boolean {
  const me = currentOwner();
  if (owner.boot && me.boot && owner.boot !== me.boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user, so it is not the server that wrote the task.
    return false;
  }
  if (owner.start !== undefined) {
    const start = processStart(owner.pid);
    if (start !== undefined && start !== owner.start) return false;
  }
  return true;
}
