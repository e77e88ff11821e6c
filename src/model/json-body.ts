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
 * be a dependency for these thirty lines.
 */
export function jsonBody(body: object): Buffer {
  const parts: string[] = [];
  let bytes = 0;
  const add = (text: string, length = Buffer.byteLength(text)) => {
    parts.push(text);
    bytes += length;
  };
  add('{', 1);
  let first = true;
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) {
      add((first ? '' : ',') + JSON.stringify(key) + ':[');
      for (let i = 0; i < value.length; i++) {
        if (i > 0) add(',', 1);
        const element: unknown = value[i];
        if (element instanceof JsonText) add(element.json, element.bytes);
        else add(JSON.stringify(element) ?? 'null');
      }
      add(']', 1);
    } else {
      const text = JSON.stringify(value);
      // JSON.stringify leaves out members whose value has no JSON form (undefined, functions).
      if (text === undefined) continue;
      add((first ? '' : ',') + JSON.stringify(key) + ':' + text);
    }
    first = false;
  }
  add('}', 1);
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const part of parts) at += out.write(part, at);
  return out;
}

/**
 * An element of a body's top-level array that {@link jsonBody} writes as this JSON text, as it
 * is: a history item serialized once and kept with the item (wire-json.ts), instead of once per
 * request. Only jsonBody knows it; JSON.stringify would write the wrapper.
 */
export class JsonText {
  /** The text's length in UTF-8, counted once. */
  readonly bytes: number;

  constructor(readonly json: string) {
    this.bytes = Buffer.byteLength(json);
  }
}
