import { rustTrim, rustTrimEnd } from './errors';
import type { UpdateFileChunk } from './parser';

/** Why a chunk could not be placed; the caller words it with the right path. */
export type ChunkFailure = { readonly kind: 'context'; readonly context: string } | { readonly kind: 'lines'; readonly lines: readonly string[] };

/** The outcome of {@link applyChunks}. */
export type ChunkResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly failure: ChunkFailure };

const TYPOGRAPHIC: ReadonlyMap<number, string> = new Map([
  ...[0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212].map((c) => [c, '-'] as const),
  ...[0x2018, 0x2019, 0x201a, 0x201b].map((c) => [c, "'"] as const),
  ...[0x201c, 0x201d, 0x201e, 0x201f].map((c) => [c, '"'] as const),
  ...[0x00a0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000].map((c) => [c, ' '] as const),
]);

function normalise(line: string): string {
  let out = '';
  for (const ch of rustTrim(line)) out += TYPOGRAPHIC.get(ch.codePointAt(0)!) ?? ch;
  return out;
}

const identity = (s: string): string => s;

// Ordered from strict to lenient: the first pass that finds the block anywhere wins, so an
// exact match later in the file beats a fuzzy match earlier on.
const PASSES: ReadonlyArray<(s: string) => string> = [identity, rustTrimEnd, rustTrim, normalise];

/**
 * Index in `lines` where `pattern` occurs at or after `start` (or only at the very end when
 * `eof`), trying each comparison pass in turn; -1 when none matches.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, eof: boolean): number {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return -1;
  const last = lines.length - pattern.length;
  // 0.29 does not fall back to an earlier position for an End of File chunk: the block
  // must be the file's tail.
  const first = eof ? last : start;
  for (const pass of PASSES) {
    const wanted = pattern.map(pass);
    const cache = new Map<number, string>();
    const at = (i: number): string => {
      let v = cache.get(i);
      if (v === undefined) {
        v = pass(lines[i]);
        cache.set(i, v);
      }
      return v;
    };
    for (let i = first; i <= last; i++) {
      let k = 0;
      while (k < wanted.length && at(i + k) === wanted[k]) k++;
      if (k === wanted.length) return i;
    }
  }
  return -1;
}

/**
 * Applies the chunks of one Update to a file's text (APPLY_PATCH.md §2): LF-split lines,
 * chunk by chunk from after the previous one, replaced lines spelled as in the patch,
 * result LF-joined with a final newline.
 */
export function applyChunks(original: string, chunks: readonly UpdateFileChunk[]): ChunkResult {
  const lines = original.split('\n');
  // The empty string after a final LF is not a line of the file.
  if (lines[lines.length - 1] === '') lines.pop();

  const replacements: Array<{ start: number; removed: number; inserted: readonly string[] }> = [];
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.changeContext !== null) {
      const at = seekSequence(lines, [chunk.changeContext], cursor, false);
      if (at < 0) return { ok: false, failure: { kind: 'context', context: chunk.changeContext } };
      cursor = at + 1;
    }

    if (chunk.oldLines.length === 0) {
      // Pure additions go to the end of the file (before a trailing blank line), whatever
      // the `@@` context said: that is what 0.29 does.
      const end = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
      replacements.push({ start: end, removed: 0, inserted: chunk.newLines });
      continue;
    }

    let pattern = chunk.oldLines;
    let inserted = chunk.newLines;
    let found = seekSequence(lines, pattern, cursor, chunk.isEndOfFile);
    // A trailing empty old line usually stands for the file's final newline, which is not
    // a line of its own here; try again without it.
    if (found < 0 && pattern[pattern.length - 1] === '') {
      pattern = pattern.slice(0, -1);
      if (inserted[inserted.length - 1] === '') inserted = inserted.slice(0, -1);
      found = seekSequence(lines, pattern, cursor, chunk.isEndOfFile);
    }
    if (found < 0) return { ok: false, failure: { kind: 'lines', lines: chunk.oldLines } };
    replacements.push({ start: found, removed: pattern.length, inserted });
    cursor = found + pattern.length;
  }

  // Applied from the bottom up so earlier indices stay valid; the sort is stable, which
  // keeps 0.29's order for replacements at the same index.
  replacements.sort((a, b) => a.start - b.start);
  for (let r = replacements.length - 1; r >= 0; r--) {
    const { start, removed, inserted } = replacements[r];
    lines.splice(start, removed, ...inserted);
  }
  if (lines.length === 0 || lines[lines.length - 1] !== '') lines.push('');
  return { ok: true, text: lines.join('\n') };
}
