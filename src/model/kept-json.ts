/** Byte of the comma that follows each kept text. */
const COMMA = 0x2c;
/** The smallest store made: a short conversation's first request fits in it. */
const FIRST_SEGMENT_BYTES = 1024;
/**
 * The size of each segment of a store once it has outgrown the first. Below glibc's smallest mmap
 * threshold (128 KiB), so that neither a segment nor the first one's growth is a block malloc maps
 * on its own: freeing such a block raises the process's malloc thresholds for good (see the launcher,
 * scripts/launcher.cjs), which a store that doubled in one block did at every doubling past 128 KiB.
 */
const SEGMENT_BYTES = 64 * 1024;

/** One block of a store: `bytes` holds the store's bytes from logical offset `start`, `used` of them. */
interface Segment {
  bytes: Buffer;
  start: number;
  used: number;
}

/**
 * The JSON elements of one history's wire array (chat messages, responses input items) kept from
 * request to request, in order. Most are kept as their UTF-8 JSON text in a store that only grows
 * at its end, each text followed by a comma; the few that are not worth a second copy (a responses
 * message with an image: its data URL is the history item's own string) are kept as objects and
 * serialized afresh with each request.
 *
 * Why a store of bytes: a request sends the kept elements straight from it (jsonBody makes its
 * runs chunks of the body, and nodeHttpFetch writes them as they are), so a request neither copies
 * the conversation into a body of its own nor allocates one. A body allocated per request is
 * hundreds of KB at turn 1,000 of a long conversation, two requests a turn, and malloc kept the
 * heap it was carved from (the soak of `npm run bench`, /proc/<pid>/smaps: the [heap] mapping
 * 4 -> 10 MiB over 1,000 turns, 4 -> 21 MiB over 3,000). The store is a list of segments of
 * SEGMENT_BYTES (a text longer than that gets one of its own), and no element spans two. Bytes
 * handed to a request are never written again: a segment is only appended to, and the first one,
 * while it is still growing to SEGMENT_BYTES, is copied into a new one, the old one living on while
 * a request holds it.
 *
 * Written by hand: a list of byte blocks and a list of offsets.
 */
export class KeptJson {
  private readonly segments: Segment[] = [];
  /** For each element, the logical offset just past its comma (an object takes no bytes: the offset before it). */
  private readonly ends: number[] = [];
  /** The elements kept as objects, with their index, in index order. */
  private readonly objects: Array<{ index: number; value: object }> = [];

  /** How many elements are kept. */
  get count(): number {
    return this.ends.length;
  }

  /** Keeps the next element as its JSON text (copied into the store). */
  text(json: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8, so this much room is always enough; where it
    // is not there, the exact size decides (a text near a segment's end costs one more pass).
    let room = json.length * 3 + 1;
    let segment = this.segments.at(-1);
    if (!segment || segment.used + room > segment.bytes.length) {
      room = Buffer.byteLength(json) + 1;
      if (!segment || segment.used + room > segment.bytes.length) segment = this.room(room);
    }
    segment.used += segment.bytes.write(json, segment.used);
    segment.bytes[segment.used++] = COMMA;
    this.ends.push(segment.start + segment.used);
  }

  /** Keeps the next element as an object, serialized with each request. */
  object(value: object): void {
    this.objects.push({ index: this.ends.length, value });
    this.ends.push(this.ends.at(-1) ?? 0);
  }

  /**
   * The first `count` elements, in order: each run of kept texts as the slices of the store it
   * covers, one per segment (together the texts joined by commas, without the last one's), each
   * object as itself.
   */
  forEach(count: number, run: (slices: Buffer[]) => void, object: (value: object) => void): void {
    // Runs only move forward: the segment search goes on from where the last run ended.
    const cursor = { segment: 0 };
    let start = 0;
    let from = 0;
    for (const { index, value } of this.objects) {
      if (index >= count) break;
      if (index > from) run(this.slices(start, this.ends[index - 1] - 1, cursor));
      object(value);
      start = this.ends[index];
      from = index + 1;
    }
    if (count > from) run(this.slices(start, this.ends[count - 1] - 1, cursor));
  }

  /** The store's bytes from logical offset `from` to `to`, a slice per segment, looking from `cursor.segment` on. */
  private slices(from: number, to: number, cursor: { segment: number }): Buffer[] {
    const out: Buffer[] = [];
    for (let i = cursor.segment; i < this.segments.length; i++) {
      const segment = this.segments[i];
      const end = segment.start + segment.used;
      if (end <= from) continue;
      if (segment.start >= to) break;
      out.push(segment.bytes.subarray(Math.max(from, segment.start) - segment.start, Math.min(to, end) - segment.start));
      cursor.segment = i;
    }
    return out;
  }

  /** A segment with `needed` bytes free: the first one grown while it is small, else a new one. */
  private room(needed: number): Segment {
    const last = this.segments.at(-1);
    if (last && this.segments.length === 1 && last.bytes.length < SEGMENT_BYTES && last.used + needed <= SEGMENT_BYTES) {
      // Outside Buffer's shared pool: a store lives as long as its history.
      const bytes = Buffer.allocUnsafeSlow(Math.min(SEGMENT_BYTES, Math.max(last.bytes.length * 2, last.used + needed)));
      last.bytes.copy(bytes, 0, 0, last.used);
      last.bytes = bytes;
      return last;
    }
    const start = last ? last.start + last.used : 0;
    const segment = { bytes: Buffer.allocUnsafeSlow(Math.max(needed, last ? SEGMENT_BYTES : FIRST_SEGMENT_BYTES)), start, used: 0 };
    this.segments.push(segment);
    return segment;
  }
}

/**
 * Elements of a body's top-level array that jsonBody writes in this one's place, as if they were
 * elements of the array themselves: the first `count` elements of a history's {@link KeptJson}
 * (which later requests may add to). Only jsonBody knows it.
 */
export class JsonSplice {
  constructor(
    readonly kept: KeptJson,
    readonly count: number,
  ) {}
}
