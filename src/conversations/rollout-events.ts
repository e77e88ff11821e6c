import type { ConversationEvent, EventMsg } from '../protocol/events';

/**
 * The numbered events a rollout holds (`agentwire_event` records) with `from <= seq < before`,
 * in file order (which is number order: one writer appends them as they happen). The file is
 * streamed in 64 KB chunks and never read past `maxBytes`; only lines that name the record
 * type are parsed, so the items in between cost a substring search. Cut or unreadable lines
 * are skipped (a crash leaves at most a partial last line).
 */
export async function readRecordedEvents(path: string, from: number, before: number, maxBytes: number): Promise<ConversationEvent[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- off the start-up path, as the rollout reader
  const { createReadStream } = require('node:fs') as typeof import('node:fs');
  const out: ConversationEvent[] = [];
  if (from >= before) return out;
  const stream = createReadStream(path, { start: 0, end: Math.max(0, maxBytes - 1), highWaterMark: 64 * 1024 });
  let pending: Buffer[] = [];
  const take = (line: string) => {
    if (!line.includes('"agentwire_event"')) return;
    const event = eventOfRecord(line);
    if (event && event.seq! >= from && event.seq! < before) out.push(event);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        pending.push(chunk.subarray(start, nl));
        take(Buffer.concat(pending).toString('utf8'));
        pending = [];
        start = nl + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) take(Buffer.concat(pending).toString('utf8'));
  return out;
}

/** The event of one `agentwire_event` line, or undefined when the line is not one. */
export function eventOfRecord(line: string): ConversationEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (r.record_type !== 'agentwire_event' || !Number.isSafeInteger(r.seq) || typeof r.id !== 'string') return undefined;
  if (typeof r.msg !== 'object' || r.msg === null || typeof (r.msg as { type?: unknown }).type !== 'string') return undefined;
  return { seq: r.seq as number, id: r.id, msg: r.msg as EventMsg };
}
