/**
 * The texts the model (and `exec_command_end.formatted_output`) sees for a command, byte for byte as
 * codex 0.29 produces them (SANDBOX.md §4, APPROVAL.md §3).
 */

/** Output up to this size and {@link MODEL_MAX_LINES} lines is passed through untouched. */
export const MODEL_MAX_BYTES = 10 * 1024;
/** Output up to this many lines and {@link MODEL_MAX_BYTES} bytes is passed through untouched. */
export const MODEL_MAX_LINES = 256;
const HEAD_LINES = 128;
const TAIL_LINES = 128;
const HEAD_BYTES = 5 * 1024;
const TAIL_BYTES = 5 * 1024;

/**
 * Shortens aggregated output for the model: past 256 lines or 10 KiB it keeps the first 128 lines
 * (cut to 5 KiB) and the last 128 lines (cut to 5 KiB, and so that the whole stays within 10 KiB),
 * joined by `\n[... omitted N of M lines ...]\n\n`. N counts whole lines left out, so a single huge
 * line gives `omitted 0 of 1`.
 *
 * The layout is derived from 0.29's measured output: `seq 1 20000` gives 1211 bytes = 128 head lines
 * (403 bytes, no final newline) + the 41-byte marker + 128 tail lines (767 bytes, no final newline).
 * Lines are counted like Rust's `str::lines` (a final newline does not start another line; `\r\n`
 * counts as one line end), because the numbers in the marker must match.
 */
export function formatOutputForModel(aggregated: string): string {
  const lines = rustLines(aggregated);
  if (Buffer.byteLength(aggregated, 'utf8') <= MODEL_MAX_BYTES && lines.length <= MODEL_MAX_LINES) return aggregated;
  const headCount = Math.min(HEAD_LINES, lines.length);
  const tailCount = Math.min(TAIL_LINES, lines.length - headCount);
  const omitted = lines.length - headCount - tailCount;
  const marker = `\n[... omitted ${omitted} of ${lines.length} lines ...]\n\n`;
  const head = leadingBytes(lines.slice(0, headCount).join('\n'), HEAD_BYTES);
  const room = MODEL_MAX_BYTES - Buffer.byteLength(head, 'utf8') - Buffer.byteLength(marker, 'utf8');
  const tail = trailingBytes(lines.slice(lines.length - tailCount).join('\n'), Math.min(TAIL_BYTES, Math.max(room, 0)));
  return head + marker + tail;
}

/**
 * The JSON text of a successful (or plainly failed) command's tool output:
 * `{"output":…,"metadata":{"exit_code":n,"duration_seconds":x}}`. Written by hand because 0.29
 * prints the duration as a float with one decimal (`0.0`, `0.1`), which JSON.stringify cannot do for
 * whole numbers, and because providers see the member order.
 */
export function toolOutputJson(output: string, exitCode: number, durationMs: number): string {
  return `{"output":${JSON.stringify(output)},"metadata":{"exit_code":${Math.trunc(exitCode)},"duration_seconds":${durationSeconds(durationMs)}}}`;
}

/** Milliseconds as seconds rounded to one decimal, always with the decimal: `0.0`, `0.1`, `12.3`. */
function durationSeconds(durationMs: number): string {
  const tenths = Math.round(Math.max(0, durationMs) / 100);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** A duration as the wire's `{"secs":n,"nanos":n}` (exec_command_end.duration). */
export function durationParts(durationMs: number): { secs: number; nanos: number } {
  const totalNanos = Math.round(Math.max(0, durationMs) * 1e6);
  const secs = Math.floor(totalNanos / 1e9);
  return { secs, nanos: totalNanos - secs * 1e9 };
}

/**
 * Sandbox names as 0.29 prints them. agentwire's Linux sandbox is bubblewrap, not Landlock plus
 * seccomp, but it keeps 0.29's wording so clients and prompts that look for these texts still match.
 */
const SANDBOXED_NAME = 'LinuxSeccomp';
const UNSANDBOXED_NAME = 'None';

/**
 * The error of a sandbox denial, as in 0.29's `background_event` "Execution failed: …" and inside
 * the model's failure text: `sandbox denied exec error, exit code: <n>, stdout: <out>, stderr: <err>`.
 */
export function sandboxDeniedError(exitCode: number, stdout: string, stderr: string): string {
  return `sandbox denied exec error, exit code: ${exitCode}, stdout: ${stdout}, stderr: ${stderr}`;
}

/** What the model gets (a plain string, not JSON) for a command the sandbox denied (APPROVAL.md §3). */
export function sandboxDeniedOutput(exitCode: number, stdout: string, stderr: string): string {
  return `failed in sandbox ${SANDBOXED_NAME} with execution error: ${sandboxDeniedError(exitCode, stdout, stderr)}`;
}

/** What the model gets for a command that ran out of time (SANDBOX.md §4). */
export function timeoutOutput(sandboxed: boolean): string {
  return `failed in sandbox ${sandboxed ? SANDBOXED_NAME : UNSANDBOXED_NAME} with execution error: command timed out`;
}

function rustLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const terminated = parts[parts.length - 1] === '';
  if (terminated) parts.pop();
  // Only a `\r` that precedes a `\n` belongs to the line end; the last line may have none.
  const endsWithNewline = terminated ? parts.length : parts.length - 1;
  for (let i = 0; i < endsWithNewline; i++) {
    if (parts[i].endsWith('\r')) parts[i] = parts[i].slice(0, -1);
  }
  return parts;
}

/** The longest prefix of at most `max` UTF-8 bytes that does not split a character. */
function leadingBytes(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && isContinuation(bytes[end])) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** The longest suffix of at most `max` UTF-8 bytes that does not split a character. */
function trailingBytes(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let start = bytes.length - max;
  while (start < bytes.length && isContinuation(bytes[start])) start++;
  return bytes.subarray(start).toString('utf8');
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
