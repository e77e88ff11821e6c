import type { ResponseItem } from '../protocol/items';
import { JsonSplice, KeptJson } from './kept-json';

/** One history's kept elements: the items they were made from, in order, and the elements. */
interface Kept {
  items: ResponseItem[];
  elements: KeptJson;
}

/**
 * Makes the elements of a history not yet covered, starting at `from`, and adds each to `kept`
 * in order; returns the index it stopped at (items from there on are not kept: the caller writes
 * them afresh with each request).
 */
export type ExtendHistory = (history: readonly ResponseItem[], from: number, kept: KeptJson) => number;

/**
 * The wire elements of each conversation's history (chat messages, responses input items), made
 * on the first request that carries an item and kept for the next requests while the history only
 * grows. Keyed by the history array (a conversation's history is one array it appends to), so an
 * ended conversation takes its elements with it.
 *
 * Why: every model request carries the whole conversation. Rebuilt for each request, a long
 * conversation's wire objects and their JSON were hundreds of KB per request, two requests a turn,
 * and enough of it was alive at each scavenge to be copied into the old generation (soak of `npm
 * run bench`, --trace-gc-nvp: from turn ~800 on, ~300 KB promoted per request, 34 MB/s, and a
 * mark-compact every 0.4 s). Kept as JSON per item, a request still built an array of every
 * element: 270 KB of young garbage per request at turn 1,000, a scavenge every turn or two. Kept
 * per history, a request allocates only for the items added since the last one; the kept elements
 * go to jsonBody as one {@link JsonSplice}, so the cost over a conversation is linear in its length.
 *
 * Sound because history items are never changed once in the history, and a history that is
 * changed otherwise than by appending is noticed: the items kept are compared, by identity, with
 * the history's first items on every request, and on a difference the elements are made again.
 * Written by hand: a WeakMap and a few lines.
 */
export class HistoryElements {
  private readonly kept = new WeakMap<readonly ResponseItem[], Kept>();

  constructor(private readonly extend: ExtendHistory) {}

  /** The kept elements of `history`, covering as much of it as `extend` keeps. */
  of(history: readonly ResponseItem[]): { splice: JsonSplice; covered: number } {
    let kept = this.kept.get(history);
    if (!kept || !isPrefix(kept.items, history)) {
      kept = { items: [], elements: new KeptJson() };
      this.kept.set(history, kept);
    }
    const from = kept.items.length;
    if (from < history.length) {
      let to: number;
      try {
        to = this.extend(history, from, kept.elements);
      } catch (err) {
        // Elements it kept before it threw are not matched by items: start again next time.
        this.kept.delete(history);
        throw err;
      }
      for (let i = from; i < to; i++) kept.items.push(history[i]);
    }
    return { splice: new JsonSplice(kept.elements, kept.elements.count), covered: kept.items.length };
  }
}

/** Whether `items` are the first items of `history`, the same objects. */
function isPrefix(items: readonly ResponseItem[], history: readonly ResponseItem[]): boolean {
  if (items.length > history.length) return false;
  for (let i = 0; i < items.length; i++) if (items[i] !== history[i]) return false;
  return true;
}

/** Whether a message carries an image: its data URL can be megabytes, not worth a second copy kept for ever. */
export function hasImage(item: ResponseItem): boolean {
  return item.type === 'message' && item.content.some((part) => part.type === 'input_image');
}
