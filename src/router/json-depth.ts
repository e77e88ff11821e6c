/**
 * How deep JSON from the client may nest. JSON.parse copes with any depth, but most code that
 * walks a value afterwards recurses (class-transformer, class-validator, our own copies,
 * JSON.stringify), and 100,000 levels overflow the stack. Real params stay within a dozen or two
 * levels (a tool's arguments, an elicitation's content); 256 leaves room for any of them.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Whether `value` nests deeper than `limit` objects and arrays (a bare object or array is depth 1).
 * Iterative, with an explicit stack, so that it cannot overflow itself; it stops as soon as the
 * limit is passed and never visits a primitive twice.
 */
export function exceedsDepth(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
