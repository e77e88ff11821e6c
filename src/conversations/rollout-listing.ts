import { closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isContextText, isConversationId, sessionMeta, settingsFromContext, settingsFromRecord, userMessageText } from './rollout-reader';
import type { ConversationSummary as ProtocolConversationSummary, ListConversationsResult } from '../protocol/codex-results';

/** One row of `listConversations`, declared in src/protocol/. */
export type ConversationSummary = ProtocolConversationSummary;

/** A `listConversations` page, declared in src/protocol/. */
export type ListPage = ListConversationsResult;

/** A cursor that names no rollout file (listConversations answers -32602 with this). */
export class BadCursorError extends Error {}

const ROLLOUT_NAME = /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(.+)\.jsonl$/;
/** Enough for the session line, agentwire's settings, the environment context and a first message. */
const HEAD_BYTES = 16 * 1024;
/** A first message beyond this (a huge AGENTS.md before it, or a huge paste) gives an empty preview. */
const MAX_HEAD_BYTES = 1024 * 1024;

/**
 * One page of the conversations under `<home>/sessions`, newest first. File names sort by their
 * local start time (WIRE.md §12), so the walk goes through the YYYY/MM/DD folders and names in
 * reverse order and stops once the page is full: the first page reads about `pageSize` file
 * heads however many rollouts there are. A file whose head cannot be read is skipped.
 *
 * @param cursor the `nextCursor` of the previous page
 * @throws BadCursorError when the cursor is not one this function made
 */
export function listRollouts(home: string, options: { pageSize: number; cursor?: string }): ListPage {
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const items: ConversationSummary[] = [];
  let more = false;
  for (const { path, name } of rolloutFilesNewestFirst(join(home, 'sessions'), after)) {
    const summary = readSummary(path, name);
    if (!summary) continue;
    // One readable rollout beyond the page says whether there is a next one.
    if (items.length === options.pageSize) {
      more = true;
      break;
    }
    items.push(summary);
  }
  const last = items[items.length - 1];
  return more && last ? { items, nextCursor: encodeCursor(last.path) } : { items };
}

/** The newest rollout under `<home>/sessions` of a conversation id, found by its file name. */
export function findRolloutPath(home: string, conversationId: string): string | undefined {
  const suffix = `-${conversationId}.jsonl`;
  for (const { path, name } of rolloutFilesNewestFirst(join(home, 'sessions'))) if (name.endsWith(suffix)) return path;
  return undefined;
}

/**
 * Rollout files under a sessions folder, newest first: YYYY, MM and DD folders in reverse
 * order, then the names in each day in reverse order. Symbolic links are not followed, to
 * folders or to files (the directory entries' own types are used): nothing outside sessions/
 * is listed or found by id. With `before`, only names that sort
 * before it, and day folders after its date are not even read.
 */
export function* rolloutFilesNewestFirst(sessions: string, before?: string): Generator<{ path: string; name: string }> {
  const limit = before === undefined ? undefined : ROLLOUT_NAME.exec(before);
  const limitDay = limit ? `${limit[1]}/${limit[2]}/${limit[3]}` : undefined;
  for (const year of subfolders(sessions, /^\d{4}$/)) {
    if (limitDay !== undefined && year > limitDay.slice(0, 4)) continue;
    for (const month of subfolders(join(sessions, year), /^\d{2}$/)) {
      if (limitDay !== undefined && `${year}/${month}` > limitDay.slice(0, 7)) continue;
      for (const day of subfolders(join(sessions, year, month), /^\d{2}$/)) {
        if (limitDay !== undefined && `${year}/${month}/${day}` > limitDay) continue;
        const dir = join(sessions, year, month, day);
        const names = entries(dir)
          .filter((e) => e.isFile() && ROLLOUT_NAME.test(e.name) && (before === undefined || e.name < before))
          .map((e) => e.name)
          .sort()
          .reverse();
        for (const name of names) yield { path: join(dir, name), name };
      }
    }
  }
}

/**
 * The summary of one rollout from its head: the session line, agentwire's settings record (or,
 * for a 0.29 file, the environment context) and the first user message. Reads 16 KB, more only
 * when the first message has not come by then. Undefined when the file is not a rollout.
 */
export function readSummary(path: string, name: string): ConversationSummary | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    for (let size = HEAD_BYTES; ; size *= 4) {
      const buffer = Buffer.allocUnsafe(size);
      const read = readFully(fd, buffer);
      const whole = read < size;
      const summary = summaryOf(buffer.toString('utf8', 0, read), whole, path, name);
      if (summary.complete || whole || size >= MAX_HEAD_BYTES) return summary.value;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** `complete` is false when a longer head might tell more; `value` is undefined when this is no rollout (so far). */
function summaryOf(text: string, whole: boolean, path: string, name: string): { value?: ConversationSummary; complete: boolean } {
  const lines = text.split('\n');
  // The last piece is complete only when the file ended there; otherwise the head cut it.
  if (!whole || lines[lines.length - 1] === '') lines.pop();
  let meta;
  try {
    meta = sessionMeta(lines[0], path);
  } catch {
    // A session line longer than the head (large instructions) needs a longer read.
    return { complete: lines.length > 0 };
  }
  // Not listed: resume would refuse it (ids are UUIDs), so the row would lead nowhere.
  if (!isConversationId(meta.id)) return { complete: true };
  const value: ConversationSummary = { conversationId: meta.id, path, preview: '', timestamp: utcTimestamp(meta.timestamp, name) };
  const context: unknown[] = [];
  let settingsSeen = false;
  for (let i = 1; i < lines.length; i++) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(lines[i]) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (record?.record_type === 'agentwire_settings') {
      if (!settingsSeen) {
        const s = settingsFromRecord(record);
        if (s.cwd !== undefined) value.cwd = s.cwd;
        if (s.model !== undefined) value.model = s.model;
        settingsSeen = true;
      }
      continue;
    }
    const text = userMessageText(record);
    if (text === undefined) continue;
    if (isContextText(text)) {
      context.push(record);
      continue;
    }
    value.preview = text;
    if (!settingsSeen) addContext(value, context);
    return { value, complete: true };
  }
  if (!settingsSeen) addContext(value, context);
  return { value, complete: false };
}

function addContext(value: ConversationSummary, context: unknown[]): void {
  const cwd = settingsFromContext(context as never).cwd;
  if (cwd !== undefined) value.cwd = cwd;
}

/**
 * The session line's time as a real UTC instant. codex writes local time with a literal `Z`
 * (WIRE.md §12); reading its fields as local time undoes that, as long as the server's time
 * zone has not changed since. The file name's time is the fallback.
 */
function utcTimestamp(recorded: string, name: string): string {
  const stamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/.exec(recorded);
  const parts = stamp ?? ROLLOUT_NAME.exec(name);
  if (!parts) return recorded;
  const [y, mo, d, h, mi, s] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = stamp?.[7] === undefined ? 0 : Number(stamp[7].padEnd(3, '0'));
  const date = new Date(y, mo - 1, d, h, mi, s, ms);
  return Number.isNaN(date.getTime()) ? recorded : date.toISOString();
}

/** The cursor after a row: its file name, base64url so that clients treat it as opaque. */
function encodeCursor(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return Buffer.from(name, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ROLLOUT_NAME.test(name) || name.includes('/')) throw new BadCursorError('cursor: not a cursor returned by listConversations');
  return name;
}

function readFully(fd: number, buffer: Buffer): number {
  let total = 0;
  while (total < buffer.length) {
    const n = readSync(fd, buffer, total, buffer.length - total, total);
    if (n === 0) break;
    total += n;
  }
  return total;
}

function subfolders(dir: string, pattern: RegExp): string[] {
  return entries(dir)
    .filter((e) => e.isDirectory() && pattern.test(e.name))
    .map((e) => e.name)
    .sort()
    .reverse();
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
