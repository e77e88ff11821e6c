import { mkdirSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';

/** node:fs/promises on first use: requiring it at start-up costs the first reply more than a millisecond. */
function fsp(): typeof FsPromises {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  return require('node:fs/promises') as typeof FsPromises;
}
import { join } from 'node:path';
import { isTaskId, randomHex } from './task-id';
import type { TaskRecord } from './task-record';

/**
 * `<home>/tasks/`: one small JSON file per task, `<taskId>.json`, replaced atomically (a temp
 * file in the same folder, renamed over it) so a crash leaves the old or the new state, never half
 * a file. The id is the index: reading a task reads one file, however many are stored.
 *
 * Durability: what a task file must survive is its server dying (kill -9, a crash, an OOM kill):
 * another process on the same home then reads the last state and reports the task failed or done.
 * For that the write only has to reach the page cache, which it has once the rename returns, so
 * no write on a task's critical path waits for an fsync (each one cost ~10 ms, more on a busy
 * disk: most of a task's overhead over a plain call). Power loss is the one case the page cache
 * does not cover; there the machine's agent run is lost anyway, and a task file that did not reach
 * the disk reads as an unknown task. Only the final state (a result the client may still fetch)
 * is flushed, by sync(), after the client has been told, off the critical path.
 */
const TEMP_SUFFIX = '.tmp';
/** A temp file this old is left over from a process that died mid-write (see removeStaleTemps). */
export const STALE_TEMP_MS = 10 * 60_000;

export class TaskFiles {
  readonly dir: string;
  private made = false;

  constructor(home: string) {
    this.dir = join(home, 'tasks');
  }

  private pathOf(taskId: string): string {
    // The one place an id becomes a path: only the shape newTaskId() makes gets through.
    if (!isTaskId(taskId)) throw new Error('not a task id');
    return join(this.dir, `${taskId}.json`);
  }

  /**
   * Replaces the task's file: the JSON goes to a new temp file beside it (O_EXCL, mode 0600), which
   * is renamed over `<taskId>.json`. A failed write leaves the old file and removes the temp one.
   *
   * By hand, not with write-file-atomic (which auth.json uses): it also resolves the real path,
   * copies the old file's mode and owner and sets them again, up to nine thread-pool round trips
   * per write, measured ~1 ms against ~0.25 ms for the four here; a task has two writes on its
   * critical path (before the handle, and its final state before the client is told), which made
   * most of its overhead over a plain call. None of that is needed in a folder of our own (0700)
   * with names of our own. Temp names end in `.tmp`, so ids() never reads one; they carry random
   * bits, so another process on the same home (a pid of another namespace, a pid reused after a
   * crash) never meets one of its own. A temp file left by a process killed mid-write is removed
   * by removeStaleTemps() (TaskStore.recover, at start-up).
   */
  async write(record: TaskRecord): Promise<void> {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.made = true;
    }
    const path = this.pathOf(record.taskId);
    const temp = `${path}.${process.pid}-${randomHex(6)}${TEMP_SUFFIX}`;
    try {
      await fsp().writeFile(temp, JSON.stringify(record), { mode: 0o600, flag: 'wx' });
      await fsp().rename(temp, path);
    } catch (err) {
      // A name already taken (EEXIST, nothing was written) is not ours to remove.
      if ((err as NodeJS.ErrnoException)?.code !== 'EEXIST') {
        await fsp()
          .unlink(temp)
          .catch(() => undefined);
      }
      throw err;
    }
  }

  /**
   * Removes the temp files of writes that never finished (their process died between the write and
   * the rename): those older than {@link STALE_TEMP_MS}, as a write takes milliseconds. Returns how
   * many went.
   */
  async removeStaleTemps(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await fsp().readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith(TEMP_SUFFIX) || !isTaskId(name.slice(0, 32)) || name[32] !== '.') continue;
      const path = join(this.dir, name);
      try {
        const stats = await fsp().lstat(path);
        if (!stats.isFile() || now - stats.mtimeMs < STALE_TEMP_MS) continue;
        await fsp().unlink(path);
        removed++;
      } catch {
        // gone meanwhile
      }
    }
    return removed;
  }

  /** Flushes a task's file and the folder's entry for it to the disk (power-loss durability of a final state). */
  async sync(taskId: string): Promise<void> {
    for (const path of [this.pathOf(taskId), this.dir]) {
      const handle = await fsp().open(path, 'r');
      try {
        // EINVAL/EISDIR where a folder cannot be fsynced: the rename is then as durable as it gets.
        await handle.sync().catch(() => undefined);
      } finally {
        await handle.close();
      }
    }
  }

  /** The stored record, or undefined when there is none (or it is unreadable, which counts as gone). */
  async read(taskId: string): Promise<TaskRecord | undefined> {
    if (!isTaskId(taskId)) return undefined;
    let text: string;
    try {
      text = await fsp().readFile(this.pathOf(taskId), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const record = JSON.parse(text) as TaskRecord;
      return record && record.v === 1 && record.taskId === taskId ? record : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(taskId: string): Promise<void> {
    if (!isTaskId(taskId)) return;
    await fsp()
      .unlink(this.pathOf(taskId))
      .catch(() => undefined);
  }

  /** Every stored task id, sorted (for paging); files that are not ours are skipped. */
  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp().readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .filter(isTaskId)
      .sort();
  }
}
