/** Byte of the comma that follows each kept text. */
const COMMA = 0x2c;
/** The smallest store made: a short conversation's first request fits in it. */
const FIRST_STORE_BYTES = 1024;

/**
 * The JSON elements of one history's wire array (chat messages, responses input items) kept from
 * request to request, in order. Most are kept as their UTF-8 JSON text in one store that only
 * grows at its end, each text followed by a comma; the few that are not worth a second copy (a
 * message with an image: its data URL is the history item's own string) are kept as objects and
 * serialized afresh with each request.
 *
 * Why one store of bytes: a request sends the kept elements straight from it (jsonBody makes its
 * runs chunks of the body, and nodeHttpFetch writes them as they are), so a request neither copies
 * the conversation into a body of its own nor allocates one. A body allocated per request is
 * hundreds of KB at turn 1,000 of a long conversation, two requests a turn, and malloc kept the
 * heap it was carved from (the soak of `npm run bench`, /proc/<pid>/smaps: the [heap] mapping
 * 4 -> 10 MiB over 1,000 turns, 4 -> 21 MiB over 3,000). The bytes already sent are never written
 * again, so a request still being written is not disturbed by the next one's additions; a store
 * that grows is copied into a new one and the old one lives on while a request holds it.
 *
 * Written by hand: a growable byte buffer and a list of offsets.
 */
export class KeptJson {
  private store: Buffer = Buffer.alloc(0);
  private used = 0;
  /** For each element, the store offset just past its comma (an object takes no bytes: the offset before it). */
  private readonly ends: number[] = [];
  /** The elements kept as objects, with their index, in index order. */
  private readonly objects: Array<{ index: number; value: object }> = [];

  /** How many elements are kept. */
  get count(): number {
    return this.ends.length;
  }

  /** Keeps the next element as its JSON text (copied into the store). */
  text(json: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8, so this much room is always enough.
    const room = json.length * 3 + 1;
    if (this.used + room > this.store.length) this.grow(this.used + room);
    this.used += this.store.write(json, this.used);
    this.store[this.used++] = COMMA;
    this.ends.push(this.used);
  }

  /** Keeps the next element as an object, serialized with each request. */
  object(value: object): void {
    this.objects.push({ index: this.ends.length, value });
    this.ends.push(this.used);
  }

  /**
   * The first `count` elements, in order: each run of kept texts as one slice of the store (the
   * texts joined by commas, without the last one's), each object as itself.
   */
  forEach(count: number, run: (bytes: Buffer) => void, object: (value: object) => void): void {
    let start = 0;
    let from = 0;
    for (const { index, value } of this.objects) {
      if (index >= count) break;
      if (index > from) run(this.store.subarray(start, this.ends[index - 1] - 1));
      object(value);
      start = this.ends[index];
      from = index + 1;
    }
    if (count > from) run(this.store.subarray(start, this.ends[count - 1] - 1));
  }

  private grow(needed: number): void {
    // Outside Buffer's shared pool: a store lives as long as its history.
    const next = Buffer.allocUnsafeSlow(Math.max(needed, this.store.length * 2, FIRST_STORE_BYTES));
    this.store.copy(next, 0, 0, this.used);
    this.store = next;
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
