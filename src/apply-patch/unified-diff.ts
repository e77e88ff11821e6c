import { structuredPatch } from 'diff';

// `@@ -1 +1 @@` rather than jsdiff's `@@ -1,1 +1,1 @@`: 0.29 (like GNU diff and git) omits a
// count of one, and an empty range names the line before it (measured in turn_diff and
// in the `changes` map).
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  if (count === 0) return `${start - 1},0`;
  return `${start},${count}`;
}

/**
 * The hunks (`@@` headers and lines, no `---`/`+++`) turning `oldText` into `newText`, with
 * `context` unchanged lines around each change; '' when the texts are equal.
 */
export function unifiedHunks(oldText: string, newText: string, context: number): string {
  if (oldText === newText) return '';
  const patch = structuredPatch('', '', oldText, newText, undefined, undefined, { context });
  let out = '';
  for (const hunk of patch.hunks) {
    out += `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@\n`;
    for (const line of hunk.lines) out += line + '\n';
  }
  return out;
}
