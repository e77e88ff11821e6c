import type { InjectionToken } from 'tsyringe';
import type { ApprovalOutcome } from '../approvals/approval-requests';
import { toReviewDecision } from '../approvals/review-decision';
import type { Logger } from '../logging/logger';
import type { CallToolResult } from '../mcp/tool-registry';
import type { ElicitInputRequest } from '../protocol/mcp-2026';
import { AgentwireError, ErrorCode } from '../router/errors';
import { TaskFiles } from './task-files';
import { newTaskId } from './task-id';
import { currentOwner, isOwnerAlive } from './task-owner';
import { expiryOf, isTerminal, type TaskEra, type TaskError, type TaskRecord, type TaskStatus } from './task-record';

/** `ttlMs` when the client asks for none (the modern era: the server decides). */
export const DEFAULT_TASK_TTL_MS = 60 * 60_000;
/** The longest `ttl` a client may ask for. */
export const MAX_TASK_TTL_MS = 7 * 24 * 60 * 60_000;
/** How often clients are asked to poll. */
export const TASK_POLL_INTERVAL_MS = 500;
/** JSON-RPC code of a refused task (implementation-defined range, `-32000` to `-32019`). */
export const TASK_LIMIT_CODE = -32000;
/** How often expired tasks are removed. */
const SWEEP_INTERVAL_MS = 60_000;

/** The error of a task whose server process ended before the task did. */
export function restartedError(pid: number): TaskError {
  return { code: ErrorCode.InternalError, message: `the server restarted before the task finished (process ${pid} is gone)` };
}

interface PendingInput {
  request: ElicitInputRequest;
  settle: (outcome: ApprovalOutcome) => void;
}

/** A task running in this process: its record plus what only lives here (the run, its pending inputs). */
export class LiveTask {
  readonly controller = new AbortController();
  /** Modern era: approvals waiting for `tasks/update`, by input key. */
  readonly pending = new Map<string, PendingInput>();
  /** Handshake era: approvals out as `elicitation/create` right now. */
  asking = 0;
  /** Approvals denied without asking, and why (the modern result says so, as a plain call's does). */
  readonly denials: string[] = [];
  private readonly usedKeys = new Set<string>();
  /** Settles when the run has ended (its turn and processes are gone). */
  readonly ended: Promise<void>;
  markEnded!: () => void;
  /** Serializes the writes of this task's file, so the last state written is the last state reached. */
  writing: Promise<void> = Promise.resolve();
  /**
   * Its first record could not be written, so the call that created it failed: nothing of it is
   * written or told from then on, even by a run that ended before the write failed.
   */
  abandoned = false;

  constructor(
    public record: TaskRecord,
    /** Modern era: the capabilities of the request that created the task (never of a later one). */
    readonly capabilities: Record<string, unknown>,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  /** An input key, unique for the task's whole life (tasks extension). */
  keyFor(base: string): string {
    let key = base;
    for (let n = 2; this.usedKeys.has(key); n++) key = `${base}-${n}`;
    this.usedKeys.add(key);
    return key;
  }
}

/** What a new task is: its era and tool, its `ttlMs` (undefined: the default; null: none), and the creating request's capabilities (modern era). */
export interface TaskOptions {
  era: TaskEra;
  tool: string;
  ttlMs?: number | null;
  capabilities?: Record<string, unknown>;
}

/** A snapshot of a task for the era mappers: the record, and the pending inputs of a live one. */
export interface TaskView {
  record: TaskRecord;
  inputRequests?: Record<string, ElicitInputRequest>;
}

export type TaskListener = (view: TaskView) => void;

/** The one task store (the public TASKS token): the tasks plugin's status notifications, recovery and close. */
export const TASKS: InjectionToken<TaskStore> = Symbol.for('agentwire:Tasks');

/**
 * The one task store behind both eras (issue 13): live tasks in memory, every task on disk under
 * `<home>/tasks/`. A task is written before its handle is returned and at every status change, so
 * a new process on the same home answers for it: with its result, or, if the process that ran it
 * is gone, as failed. Expired tasks (terminal, past `ttlMs` from creation) are removed.
 */
export class TaskStore {
  readonly files: TaskFiles;
  private readonly live = new Map<string, LiveTask>();
  /** Expiry of each terminal task known to this process, so sweeping reads no file. */
  private readonly expiries = new Map<string, number>();
  private readonly listeners = new Set<TaskListener>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    home: string,
    private readonly maxRunning: number,
    private readonly log?: Logger,
  ) {
    this.files = new TaskFiles(home);
  }

  /** Every status change of any task this process runs. Returns the unsubscribe. */
  onChange(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get runningCount(): number {
    return this.live.size;
  }

  liveTask(taskId: string): LiveTask | undefined {
    return this.live.get(taskId);
  }

  /**
   * Registers a new `working` task and writes it to disk; only then does the caller return the
   * handle. Past `max_running_tasks` the call is refused, never queued.
   */
  async create(options: TaskOptions): Promise<LiveTask> {
    const { task, recorded } = this.register(options);
    await recorded;
    return task;
  }

  /**
   * Registers a new `working` task and starts writing it to disk: `recorded` settles once it is
   * there, and the caller returns the handle only then. The run may start at once: its first step
   * is a model request, much slower than the write, so the write is not on the task's critical
   * path (it was ~0.3 ms of its overhead, more on a busy machine), and every later state is
   * written after it (the writes of a task are chained). A task that cannot be written is ended
   * here (failed, its run aborted) so that nothing of it is written or told later, and `recorded`
   * rejects with the -32603 error for the call. Past `max_running_tasks` the call is refused at
   * once, never queued.
   */
  register(options: TaskOptions): { task: LiveTask; recorded: Promise<void> } {
    if (this.live.size >= this.maxRunning) {
      throw new AgentwireError(
        TASK_LIMIT_CODE,
        `too many running tasks: ${this.live.size} of max_running_tasks = ${this.maxRunning} are running; wait for one to finish or cancel one`,
        { running: this.live.size, max: this.maxRunning },
      );
    }
    const now = new Date().toISOString();
    const ttlMs = options.ttlMs === undefined ? DEFAULT_TASK_TTL_MS : options.ttlMs === null ? null : Math.min(Math.max(0, Math.floor(options.ttlMs)), MAX_TASK_TTL_MS);
    const record: TaskRecord = {
      v: 1,
      taskId: newTaskId(),
      era: options.era,
      tool: options.tool,
      status: 'working',
      statusMessage: 'starting',
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs,
      pollIntervalMs: TASK_POLL_INTERVAL_MS,
      owner: currentOwner(),
    };
    const task = new LiveTask(record, options.capabilities ?? {});
    this.live.set(record.taskId, task);
    const recorded = this.persist(task).then(
      () => this.startSweeper(),
      (err: unknown) => {
        // Before any later write of this task gets its turn (they wait for this one, see persist).
        task.abandoned = true;
        this.live.delete(record.taskId);
        const message = `could not record the task in ${this.files.dir}`;
        task.record = { ...task.record, status: 'failed', error: { code: ErrorCode.InternalError, message }, statusMessage: message };
        task.controller.abort(new Error(message));
        this.log?.error({ err: (err as Error)?.message }, 'could not write the task file');
        throw new AgentwireError(ErrorCode.InternalError, message);
      },
    );
    return { task, recorded };
  }

  /** The task as it stands, from memory when it runs here, else from its file (one read); undefined when unknown or expired. */
  async get(taskId: string): Promise<TaskView | undefined> {
    const task = this.live.get(taskId);
    if (task) return this.viewOf(task);
    const record = await this.files.read(taskId);
    if (!record) return undefined;
    const expiry = expiryOf(record);
    if (isTerminal(record.status) && expiry !== undefined && expiry <= Date.now()) {
      await this.forget(taskId);
      return undefined;
    }
    if (!isTerminal(record.status) && !this.ownerRuns(record)) return { record: await this.failOrphan(record) };
    if (isTerminal(record.status) && expiry !== undefined) this.expiries.set(taskId, expiry);
    return { record };
  }

  /** A short line of what the task does now; kept in memory (and written with the next status change). */
  setMessage(task: LiveTask, message: string): void {
    if (isTerminal(task.record.status)) return;
    task.record = { ...task.record, statusMessage: message };
  }

  /** Moves a live task to a new non-terminal status, writes it, and tells the listeners. */
  async setStatus(task: LiveTask, status: 'working' | 'input_required', message?: string): Promise<void> {
    if (isTerminal(task.record.status)) return;
    if (task.record.status === status && message === undefined) return;
    task.record = { ...task.record, status, statusMessage: message ?? task.record.statusMessage, lastUpdatedAt: new Date().toISOString() };
    await this.commit(task);
  }

  /**
   * Ends a task: `completed` with its result, `failed` with its error, or `cancelled`. The first
   * end wins (a cancelled task whose run then finishes stays cancelled).
   */
  async finish(
    task: LiveTask,
    end: { status: 'completed'; result: CallToolResult } | { status: 'failed'; error: TaskError } | { status: 'cancelled'; message: string },
  ): Promise<void> {
    if (isTerminal(task.record.status)) return;
    const base = { ...task.record, status: end.status, lastUpdatedAt: new Date().toISOString() } as TaskRecord;
    if (end.status === 'completed') {
      base.result = end.result;
      base.statusMessage = end.result.isError ? 'finished with an error result' : 'finished';
    } else if (end.status === 'failed') {
      base.error = end.error;
      base.statusMessage = end.error.message;
    } else {
      base.statusMessage = end.message;
    }
    task.record = base;
    for (const [key, input] of [...task.pending]) {
      task.pending.delete(key);
      input.settle({ decision: 'abort', problem: `the task ended (${end.status})` });
    }
    await this.commit(task);
    const expiry = expiryOf(base);
    if (expiry !== undefined) this.expiries.set(base.taskId, expiry);
  }

  /** The run of a task has ended: it no longer counts against the limit. */
  released(task: LiveTask): void {
    this.live.delete(task.record.taskId);
    task.markEnded();
  }

  /** Cancels a task: marks it cancelled, interrupts its turn, and waits (bounded) until its processes are gone. */
  async cancel(task: LiveTask, waitMs = 10_000): Promise<void> {
    await this.finish(task, { status: 'cancelled', message: 'cancelled by the client' });
    task.controller.abort(new Error('task cancelled'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([task.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /**
   * Modern era: parks an approval as an `inputRequests` entry; the task shows `input_required`
   * until `tasks/update` answers every pending input. A task whose creating request declared no
   * form elicitation never asks: the approval is denied and the result says why.
   */
  askInput(task: LiveTask, base: string, request: ElicitInputRequest, options: { timeoutMs: number; signal: AbortSignal }, canAsk: boolean): Promise<ApprovalOutcome> {
    if (isTerminal(task.record.status)) return Promise.resolve({ decision: 'abort', problem: 'the task has ended' });
    if (!canAsk) {
      const problem = 'the request that created the task did not declare the elicitation (form) capability, so the approval could not be asked';
      task.denials.push(problem);
      return Promise.resolve({ decision: 'denied', problem });
    }
    if (options.signal.aborted) return Promise.reject(options.signal.reason);
    const key = task.keyFor(base);
    return new Promise<ApprovalOutcome>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        if (task.pending.size === 0) void this.setStatus(task, 'working', 'thinking');
      };
      const onAbort = () => {
        task.pending.delete(key);
        done();
        reject(options.signal.reason);
      };
      const timer = setTimeout(() => {
        if (!task.pending.delete(key)) return;
        done();
        resolve({ decision: 'denied', problem: `no tasks/update answered the approval within ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      timer.unref();
      options.signal.addEventListener('abort', onAbort, { once: true });
      task.pending.set(key, {
        request,
        settle: (outcome) => {
          done();
          resolve(outcome);
        },
      });
      void this.setStatus(task, 'input_required', waitingLine(request.params.message));
    });
  }

  /** `tasks/update`: settles each pending input the responses answer; unknown or answered keys are ignored. */
  answer(task: LiveTask, responses: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(responses)) {
      const input = task.pending.get(key);
      if (!input) continue;
      task.pending.delete(key);
      const { decision, usable } = toReviewDecision(value);
      input.settle(usable ? { decision } : { decision, problem: 'the approval reply carried no usable decision' });
    }
  }

  /** Every stored task, a page at a time (handshake `tasks/list`), oldest id order. */
  async list(cursor: string | undefined, pageSize: number): Promise<{ views: TaskView[]; nextCursor?: string }> {
    const ids = await this.files.ids();
    let start = 0;
    if (cursor !== undefined) {
      start = ids.findIndex((id) => id > cursor);
      if (start < 0) start = ids.length;
    }
    const views: TaskView[] = [];
    let i = start;
    for (; i < ids.length && views.length < pageSize; i++) {
      const view = await this.get(ids[i]);
      if (view) views.push(view);
    }
    return i < ids.length ? { views, nextCursor: ids[i - 1] } : { views };
  }

  /**
   * At start-up: every stored task recorded as running by a process that is gone becomes failed,
   * and expired ones are removed, as are the temp files of writes a dead process left. Runs in the
   * background; a read in between does the same per task.
   */
  async recover(): Promise<void> {
    await this.files.removeStaleTemps();
    const ids = await this.files.ids();
    for (const id of ids) {
      if (this.live.has(id)) continue;
      await this.get(id);
    }
    if (ids.length > 0) this.startSweeper();
  }

  /** Removes the terminal tasks whose ttl has passed. */
  async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, expiry] of [...this.expiries]) {
      if (expiry <= now && !this.live.has(id)) await this.forget(id);
    }
  }

  /** At shutdown: every task still running fails (its turn ends with the server), and that is written before exit. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const running = [...this.live.values()];
    for (const task of running) {
      await this.finish(task, { status: 'failed', error: { code: ErrorCode.InternalError, message: 'the server shut down before the task finished' } });
      task.controller.abort(new Error('server shutting down'));
    }
    await Promise.all(running.map((t) => t.writing));
  }

  viewOf(task: LiveTask): TaskView {
    if (task.record.status !== 'input_required') return { record: task.record };
    const inputRequests: Record<string, ElicitInputRequest> = {};
    for (const [key, input] of task.pending) inputRequests[key] = input.request;
    return { record: task.record, inputRequests };
  }

  private ownerRuns(record: TaskRecord): boolean {
    const me = currentOwner();
    // Ours but not live: its run ended without a final state (cannot normally happen); treat as gone.
    if (record.owner.pid === me.pid && record.owner.start === me.start && record.owner.boot === me.boot) return false;
    return isOwnerAlive(record.owner);
  }

  private async failOrphan(record: TaskRecord): Promise<TaskRecord> {
    const failed: TaskRecord = {
      ...record,
      status: 'failed',
      error: restartedError(record.owner.pid),
      statusMessage: 'the server restarted before the task finished',
      lastUpdatedAt: new Date().toISOString(),
    };
    try {
      await this.files.write(failed);
    } catch (err) {
      this.log?.warn({ task: record.taskId, err: (err as Error)?.message }, 'could not record a task as failed');
    }
    const expiry = expiryOf(failed);
    if (expiry !== undefined) this.expiries.set(failed.taskId, expiry);
    this.log?.info({ task: record.taskId, pid: record.owner.pid }, 'task of a process that is gone marked failed');
    return failed;
  }

  private async forget(taskId: string): Promise<void> {
    this.expiries.delete(taskId);
    await this.files.remove(taskId);
  }

  private persist(task: LiveTask): Promise<void> {
    const record = task.record;
    const write = task.writing.then(() => (task.abandoned ? undefined : this.files.write(record)));
    task.writing = write.catch((err: unknown) => this.log?.warn({ task: record.taskId, err: (err as Error)?.message }, 'could not write the task file'));
    return write;
  }

  private async commit(task: LiveTask): Promise<void> {
    const view = this.viewOf(task);
    await this.persist(task).catch(() => undefined);
    if (task.abandoned) return;
    for (const listener of [...this.listeners]) listener(view);
    if (isTerminal(task.record.status)) {
      // The final state to the disk, after the listeners were told (see TaskFiles); later writes wait for it.
      const taskId = task.record.taskId;
      task.writing = task.writing
        .then(() => this.files.sync(taskId))
        .catch((err: unknown) => this.log?.warn({ task: taskId, err: (err as Error)?.message }, 'could not flush the task file'));
    }
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }
}

/** `statusMessage` while an approval is out: the first line of its question. */
export function waitingLine(question: string): string {
  return `waiting for approval: ${question.split('\n')[0]}`;
}

export type { TaskStatus };
