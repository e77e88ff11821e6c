import { mkdirSync } from 'node:fs';
import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isTaskId } from './task-id';
import type { TaskRecord } from './task-record';

/**
 * `<home>/tasks/`: one small JSON file per task, `<taskId>.json`, replaced atomically
 * (write-file-atomic: temp file, fsync, rename) so a crash leaves the old or the new state, never
 * half a file. The id is the index: reading a task reads one file, however many are stored.
 */
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

  async write(record: TaskRecord): Promise<void> {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.made = true;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first task, not at start-up
    const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
    await writeFileAtomic(this.pathOf(record.taskId), JSON.stringify(record), { mode: 0o600, fsync: true });
  }

  /** The stored record, or undefined when there is none (or it is unreadable, which counts as gone). */
  async read(taskId: string): Promise<TaskRecord | undefined> {
    if (!isTaskId(taskId)) return undefined;
    let text: string;
    try {
      text = await readFile(this.pathOf(taskId), 'utf8');
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
    await unlink(this.pathOf(taskId)).catch(() => undefined);
  }

  /** Every stored task id, sorted (for paging); files that are not ours are skipped. */
  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
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
