import { JsonSplice } from './kept-json';

/**
 * A request body as the chunks of bytes to send in order: the JSON made for this request, and
 * between them the kept history elements, which are slices of their store (kept-json.ts), not
 * copies.
 */
export class JsonBody {
  constructor(
    readonly chunks: readonly Buffer[],
    readonly byteLength: number,
  ) {}

  /** The whole body in one Buffer (a copy, unless it is one chunk): for a client that sends one. */
  toBuffer(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.byteLength);
  }

  toString(): string {
    return this.toBuffer().toString('utf8');
  }
}

/**
 * `JSON.stringify(body)` as UTF-8 bytes, made from the JSON of each member and of each element of
 * a top-level array (a request's messages or input items), where a {@link JsonSplice} stands for
 * a history's kept elements, which go into the body as the slices of their store.
 *
 * Why: a model request carries the whole conversation. As one string, the body of a long
 * conversation is a V8 large object, which only a full garbage collection frees (the soak of
 * `npm run bench`: RSS +28 % over 1,000 turns, large-object space 1 -> 30 MiB); as pieces of
 * joined strings it was still ~1 MB of heap garbage per request at turn 1,000; as one Buffer
 * per request it was as much malloc'd memory, which fragmented the process's heap (kept-json.ts).
 * Here a request allocates only for what it serializes afresh: the body's other members and the
 * history items added since the last request.
 *
 * Written by hand: JSON.stringify has no streaming form, and a streaming serializer package would
 * be a dependency for these lines.
 */
export function jsonBody(body: object): JsonBody {
  const chunks: Buffer[] = [];
  let byteLength = 0;
  /** The JSON made since the last kept run, as texts to join into the next chunk. */
  let texts: string[] = ['{'];
  const flush = (): void => {
    let bytes = 0;
    for (const text of texts) bytes += Buffer.byteLength(text);
    const chunk = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const text of texts) at += chunk.write(text, at);
    chunks.push(chunk);
    byteLength += bytes;
    texts = [];
  };
  let members = 0;
  for (const [key, value] of Object.entries(body)) {
    const head = (members > 0 ? ',' : '') + JSON.stringify(key) + ':';
    if (Array.isArray(value)) {
      members++;
      texts.push(head, '[');
      let written = 0;
      /** One element: a comma before all but the first. */
      const element = (json: string): void => {
        texts.push(written++ > 0 ? ',' + json : json);
      };
      for (const item of value as unknown[]) {
        if (item instanceof JsonSplice) {
          item.kept.forEach(
            item.count,
            (slices) => {
              if (written++ > 0) texts.push(',');
              flush();
              for (const slice of slices) {
                chunks.push(slice);
                byteLength += slice.length;
              }
            },
            (object) => element(JSON.stringify(object)),
          );
        } else {
          // JSON.stringify writes such an element (undefined, a function) as null.
          element(JSON.stringify(item) ?? 'null');
        }
      }
      texts.push(']');
    } else {
      const json = JSON.stringify(value);
      // JSON.stringify leaves out members whose value has no JSON form (undefined, functions).
      if (json === undefined) continue;
      members++;
      texts.push(head + json);
    }
  }
  texts.push('}');
  flush();
  return new JsonBody(chunks, byteLength);
}
