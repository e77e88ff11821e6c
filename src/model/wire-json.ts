import type { FunctionCallItem, ResponseItem } from '../protocol/items';
import { JsonText } from './json-body';

/**
 * The JSON of history items in a wire API's shape, made on the first request that carries an
 * item and kept while the item lives (a WeakMap: an item that leaves the history takes its text
 * with it).
 *
 * Why: every model request carries the whole conversation. Rebuilt for each request, a long
 * conversation's wire objects and their JSON were hundreds of KB per request, two requests a
 * turn, and enough of it was alive at each scavenge to be copied into the old generation (soak of
 * `npm run bench`, --trace-gc-nvp: from turn ~800 on, ~300 KB promoted per request, 34 MB/s, and
 * a mark-compact every 0.4 s). Kept per item, a request serializes only the items added since the
 * last one: the cost over a conversation is linear in its length instead of quadratic.
 *
 * Sound because history items are never changed once in the history (turns add new objects;
 * restore and fork build new ones). Written by hand: a WeakMap and a few lines.
 */
export class WireJson<K extends object> {
  private readonly texts = new WeakMap<K, JsonText | null>();

  /** The element for `key`: its kept JSON, or `encode(key)` serialized and kept; undefined when it has no element (null from encode). */
  of(key: K, encode: (key: K) => object | null): JsonText | undefined {
    let text = this.texts.get(key);
    if (text === undefined) {
      const value = encode(key);
      text = value === null ? null : new JsonText(JSON.stringify(value));
      this.texts.set(key, text);
    }
    return text ?? undefined;
  }
}

/**
 * Runs of function calls, which the Chat API sends as one assistant message: kept by the run's
 * first call, with the run's length (a run is complete once the request that follows it is made,
 * but a longer run under the same first call gets a new text).
 */
export class WireJsonRuns {
  private readonly runs = new WeakMap<FunctionCallItem, { calls: number; text: JsonText }>();

  /** The element for the run `items[start..end)` (function calls all). */
  of(items: readonly ResponseItem[], start: number, end: number, encode: (calls: FunctionCallItem[]) => object): JsonText {
    const first = items[start] as FunctionCallItem;
    const kept = this.runs.get(first);
    if (kept && kept.calls === end - start) return kept.text;
    const text = new JsonText(JSON.stringify(encode(items.slice(start, end) as FunctionCallItem[])));
    this.runs.set(first, { calls: end - start, text });
    return text;
  }
}

/** Whether a message carries an image: its data URL can be megabytes, not worth a second copy kept for ever. */
export function hasImage(item: ResponseItem): boolean {
  return item.type === 'message' && item.content.some((part) => part.type === 'input_image');
}
