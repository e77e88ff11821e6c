/** Longest piece (in UTF-16 units) that {@link jsonPieces} makes by joining array elements. */
export const JSON_PIECE_CHARS = 16 * 1024;

/**
 * `JSON.stringify(body)` as consecutive pieces of at most about {@link JSON_PIECE_CHARS} each:
 * joined, they are exactly that text. The top-level arrays (a request's messages or input items)
 * are written element by element; one element longer than a piece is a piece of its own.
 *
 * Why: a model request carries the whole conversation. As one string, the body of a long
 * conversation is a V8 large object, which only a full garbage collection frees; two of them a
 * turn made the heap grow between collections with the conversation's length (the soak of
 * `npm run bench`: RSS +28 % over 1,000 turns with a flat live heap, large-object space
 * 1 → 30 MiB). Small pieces die young instead.
 *
 * Written by hand: JSON.stringify has no streaming form, and a streaming serializer package would
 * be a dependency for these twenty lines.
 */
export function jsonPieces(body: object): string[] {
  const pieces: string[] = [];
  let current = '{';
  const add = (text: string) => {
    if (current.length > 0 && current.length + text.length > JSON_PIECE_CHARS) {
      pieces.push(current);
      current = '';
    }
    current += text;
  };
  let first = true;
  for (const [key, value] of Object.entries(body)) {
    const name = (first ? '' : ',') + JSON.stringify(key) + ':';
    if (Array.isArray(value)) {
      add(name + '[');
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        add((i > 0 ? ',' : '') + (element instanceof JsonText ? element.json : (JSON.stringify(element) ?? 'null')));
      }
      add(']');
    } else {
      const text = JSON.stringify(value);
      // JSON.stringify leaves out members whose value has no JSON form (undefined, functions).
      if (text === undefined) continue;
      add(name + text);
    }
    first = false;
  }
  add('}');
  pieces.push(current);
  return pieces;
}

/**
 * An element of a body's top-level array that {@link jsonPieces} writes as this JSON text, as it
 * is: a history item serialized once and kept with the item (wire-json.ts), instead of once per
 * request. Only jsonPieces knows it; JSON.stringify would write the wrapper.
 */
export class JsonText {
  constructor(readonly json: string) {}
}
