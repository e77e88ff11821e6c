import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationEvent } from '../protocol/events';
import type { ResponseItem } from '../protocol/items';

/** Local time, as codex 0.29 names and stamps rollouts (WIRE.md §12): the folder, the name and the first line. */
function localParts(now: Date) {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = now.getFullYear();
  const mo = pad(now.getMonth() + 1);
  const d = pad(now.getDate());
  const h = pad(now.getHours());
  const mi = pad(now.getMinutes());
  const s = pad(now.getSeconds());
  return { y: String(y), mo, d, name: `${y}-${mo}-${d}T${h}-${mi}-${s}`, stamp: `${y}-${mo}-${d}T${h}:${mi}:${s}.${pad(now.getMilliseconds(), 3)}Z` };
}

/** `<home>/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`, in local time as 0.29 names them. */
export function rolloutPath(home: string, conversationId: string, now: Date): string {
  const p = localParts(now);
  return join(home, 'sessions', p.y, p.mo, p.d, `rollout-${p.name}-${conversationId}.jsonl`);
}

/**
 * Appends a conversation's record to its JSONL rollout file: the session line, then history items,
 * agentwire's settings record and turn markers as they happen. Append-only: a crash loses
 * at most a partial last line, which readers skip.
 *
 * Lines queued in one tick go out in one append. The append is synchronous on purpose: records
 * are small (a write of a few hundred bytes), it keeps them in order without a promise chain, and
 * a turn's items are on disk before its `task_complete` goes out without adding a thread-pool round
 * trip to every turn.
 *
 * The file stays open from a turn's start to its end, and is closed right after: a turn appends a
 * few times (its input, each model step, its end), and opening the file by path for each append
 * cost more than the write (strace -T on this machine: an open 12 µs at p50 but 360 µs at p90, a
 * write 3-18 µs). Outside turns each append opens and closes the file, so thousands of idle
 * conversations hold no file descriptor.
 */
export class RolloutRecorder {
  private pending: string[] = [];
  private scheduled = false;
  private failed = false;
  private closed = false;
  /** Called after each append that wrote lines (resource subscriptions hear of changes this way). */
  onWrite: (() => void) | undefined;
  /** The file's last line was cut by a crash: the next append must not glue itself onto it. */
  private needsNewline = false;
  /** The open file, between a turn's start and its end. */
  private fd: number | undefined;
  /** The submission id of the running turn: while there is one, the file stays open after an append. */
  private holding: string | undefined;
  private releaseScheduled = false;
  /**
   * agentwire's settings record of a new conversation, until its first turn starts or it closes.
   * Creating a conversation then writes what 0.29 writes (the session line and the environment
   * context; the referee bench's bytes written per conversation were 1.36x codex's with the record
   * written at once). Over its life a conversation writes the record all the same: with its first
   * turn, or when it closes (archive, shutdown) if it ran none. A crash before the first turn loses
   * the record; resume then reads the cwd and policies from the environment context, as of a 0.29
   * rollout, and the model and reasoning settings from the config.
   */
  private unwrittenSettings: Record<string, unknown> | undefined;

  constructor(
    readonly path: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /**
   * A recorder that goes on appending to an existing rollout (a resumed conversation), leaving
   * its first lines as they are, as 0.29's codex-reply appends to its session's file.
   */
  static append(path: string, onError: (err: Error) => void): RolloutRecorder {
    const recorder = new RolloutRecorder(path, onError);
    recorder.needsNewline = !endsWithNewline(path);
    return recorder;
  }

  /** The session line (0.29's format); creates the folder. The settings record follows with the first turn ({@link writeSettings}). */
  start(meta: { id: string; now: Date; instructions: string | null; settings: Record<string, unknown> }): void {
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
    } catch (err) {
      this.fail(err as Error);
    }
    this.line({ id: meta.id, timestamp: localParts(meta.now).stamp, instructions: meta.instructions });
    this.unwrittenSettings = { record_type: 'agentwire_settings', ...meta.settings };
  }

  /** Queues the settings record of {@link start} if it is not written yet (a turn starts, the conversation closes). */
  writeSettings(): void {
    const record = this.unwrittenSettings;
    if (record === undefined) return;
    this.unwrittenSettings = undefined;
    this.line(record);
  }

  items(items: ResponseItem[]): void {
    for (const item of items) this.line(item);
  }

  /**
   * Marks the start of the turn of `submissionId`, with the settings it runs under (the resume
   * issue rebuilds turns from these); the file stays open until that turn ends ({@link endTurn}).
   */
  turn(submissionId: string, record: Record<string, unknown>): void {
    this.writeSettings();
    this.line({ record_type: 'agentwire_turn', submission_id: submissionId, ...record });
    this.holding = submissionId;
  }

  /** Marks where a turn that is not running began (a fork's copied turns): nothing is held open. */
  turnMarker(record: Record<string, unknown>): void {
    this.writeSettings();
    this.line({ record_type: 'agentwire_turn', ...record });
  }

  /**
   * The turn of `submissionId` has ended (its last event is queued): writes everything queued,
   * and closes the file once the current step is done (after the client has been told), unless
   * another turn has started by then. The end of an older turn (one that was closing when the
   * next was submitted) leaves the newer turn's file open.
   */
  endTurn(submissionId: string): void {
    this.flush();
    if (this.holding !== submissionId) return;
    this.holding = undefined;
    if (this.fd === undefined || this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => {
      this.releaseScheduled = false;
      if (this.holding === undefined) this.closeFile();
    });
  }

  /** A numbered event (EventLog): `{record_type: "agentwire_event", seq, id, msg}`; replay and resume read these. */
  event(event: ConversationEvent): void {
    this.line({ record_type: 'agentwire_event', seq: event.seq, id: event.id, msg: event.msg });
  }

  /** A settings record after the start (a resume with overrides); readers take the last one. */
  settings(record: Record<string, unknown>): void {
    this.unwrittenSettings = undefined;
    this.line({ record_type: 'agentwire_settings', ...record });
  }

  /** Writes everything queued so far. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.failed) return;
    const text = (this.needsNewline ? '\n' : '') + this.pending.join('\n') + '\n';
    this.pending = [];
    try {
      this.fd ??= openSync(this.path, 'a', 0o600);
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length;) {
        const written = writeSync(this.fd, bytes, at);
        // A regular file takes every byte or fails; no progress at all would loop for ever.
        if (written <= 0) throw new Error(`no bytes of the rollout append were written to ${this.path}`);
        at += written;
      }
      if (this.holding === undefined) this.closeFile();
      this.needsNewline = false;
      this.onWrite?.();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /** Flushes and takes no more lines: the file may be moved away (archiveConversation). */
  close(): void {
    this.writeSettings();
    this.flush();
    this.closed = true;
    this.holding = undefined;
    this.closeFile();
  }

  private closeFile(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private line(value: unknown): void {
    if (this.failed || this.closed) return;
    this.pending.push(JSON.stringify(value));
    if (!this.scheduled) {
      this.scheduled = true;
      // After the current turn step (a model request goes out first); a turn's end (task_complete,
      // turn_aborted, error) is flushed at once by the event log, before the client hears of it.
      setImmediate(() => this.flush());
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    this.holding = undefined;
    this.closeFile();
    this.onError(err);
  }
}

/** True when the file is empty or ends with a newline; a missing file counts as ending with one. */
function endsWithNewline(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return true;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
