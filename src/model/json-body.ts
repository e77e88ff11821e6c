/** The bytes of the JSON punctuation jsonBody writes itself. */
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA] = Buffer.from('{}[],');

/**
 * `JSON.stringify(body)` as UTF-8 bytes in one Buffer, made from the JSON of each member and of
 * each element of a top-level array (a request's messages or input items), where an element may
 * be a {@link JsonText}: JSON made before and kept (wire-json.ts), copied as it is.
 *
 * Why: a model request carries the whole conversation. As one string, the body of a long
 * conversation is a V8 large object, which only a full garbage collection frees (the soak of
 * `npm run bench`: RSS +28 % over 1,000 turns, large-object space 1 → 30 MiB); as pieces of
 * joined strings it was still ~1 MB of heap garbage per request at turn 1,000 (the joined pieces,
 * then their flat copies for the socket): a scavenge every turn, which promoted whatever the turn
 * had alive. The bytes go into memory outside the heap, freed with the Buffer; the only strings
 * made are the JSON of what was not kept.
 *
 * Written by hand: JSON.stringify has no streaming form, and a streaming serializer package would
 * be a dependency for these forty lines.
 */
export function jsonBody(body: object): Buffer {
  // Two walks over the body: the first serializes what is not kept (member names, other values,
  // elements that are no JsonText) and counts the bytes, the second copies it all into the Buffer.
  // No array of every part: a long conversation's request allocates nothing per kept item.
  const texts: string[] = [];
  /** The members written, in order: arrays element by element, other values as one text. */
  const members: unknown[] = [];
  let bytes = 2;
  /** Counts one array element (not a splice) and serializes it unless it is kept. */
  const measure = (element: unknown): void => {
    if (element instanceof JsonText) bytes += element.bytes;
    else {
      // JSON.stringify writes such an element (undefined, a function) as null.
      const text = JSON.stringify(element) ?? 'null';
      texts.push(text);
      bytes += Buffer.byteLength(text);
    }
  };
  for (const [key, value] of Object.entries(body)) {
    const head = (members.length > 0 ? ',' : '') + JSON.stringify(key) + ':';
    if (Array.isArray(value)) {
      members.push(value);
      texts.push(head);
      let written = 0;
      for (const element of value as unknown[]) {
        if (element instanceof JsonSplice) {
          for (let i = 0; i < element.count; i++) measure(element.elements[i]);
          written += element.count;
        } else {
          measure(element);
          written++;
        }
      }
      bytes += Buffer.byteLength(head) + 2 + Math.max(0, written - 1);
    } else {
      const json = JSON.stringify(value);
      // JSON.stringify leaves out members whose value has no JSON form (undefined, functions).
      if (json === undefined) continue;
      const text = head + json;
      members.push(undefined);
      texts.push(text);
      bytes += Buffer.byteLength(text);
    }
  }
  const out = Buffer.allocUnsafe(bytes);
  out[0] = OPEN_BRACE;
  let at = 1;
  let next = 0;
  let first = true;
  /** Copies one array element (not a splice), with the comma before it. */
  const copy = (element: unknown): void => {
    if (first) first = false;
    else out[at++] = COMMA;
    at += out.write(element instanceof JsonText ? element.json : texts[next++], at);
  };
  for (const value of members) {
    if (Array.isArray(value)) {
      at += out.write(texts[next++], at);
      out[at++] = OPEN_BRACKET;
      first = true;
      for (const element of value as unknown[]) {
        if (element instanceof JsonSplice) for (let i = 0; i < element.count; i++) copy(element.elements[i]);
        else copy(element);
      }
      out[at++] = CLOSE_BRACKET;
    } else at += out.write(texts[next++], at);
  }
  out[at] = CLOSE_BRACE;
  return out;
}

/**
 * Elements of a body's top-level array that {@link jsonBody} writes in this one's place, as if
 * they were elements of the array themselves: the first `count` of `elements` (a history's kept
 * elements, wire-json.ts, which later requests may add to). Only jsonBody knows it.
 */
export class JsonSplice {
  constructor(
    readonly elements: readonly unknown[],
    readonly count: number,
  ) {}
}

/**
 * An element of a body's top-level array that {@link jsonBody} writes as this JSON text, as it
 * is: a history item's wire element serialized once and kept with its history (wire-json.ts),
 * instead of once per request. Only jsonBody knows it; JSON.stringify would write the wrapper.
 */
export class JsonText {
  /** The text's length in UTF-8, counted once. */
  readonly bytes: number;

  constructor(readonly json: string) {
    this.bytes = Buffer.byteLength(json);
  }
}
