/**
 * The task's `statusMessage` from a turn's progress line (src/codex-tools/progress.ts): what the
 * agent does now, in words a person polling the task understands.
 */
export function statusLine(progress: string): string {
  if (progress === 'turn started') return 'thinking';
  if (progress === 'answer streaming') return 'writing the answer';
  if (progress === 'answer complete' || progress === 'turn complete') return 'finishing';
  const exit = /^command finished with exit code (-?\d+)$/.exec(progress);
  if (exit) return `thinking (the last command exited with code ${exit[1]})`;
  if (progress === 'patch applied' || progress === 'patch failed') return `thinking (${progress})`;
  return progress;
}
