/**
 * apply_patch: parsing, verification, all-or-nothing application and turn diffs
 * (APPLY_PATCH.md, APPROVAL.md §5, WIRE.md §7). A library only: the `shell` tool decides
 * when to call it and turns its results into events and tool output.
 *
 * Typical flow in the tool layer:
 * ```ts
 * const v = await verifyPatch(argv, cwd);
 * if (v.status === 'not_apply_patch') { ...run as a command... }
 * else if (v.status === 'invalid') return v.toolOutput;            // "error: ..."
 * else { check v.plan.affectedPaths, ask with v.plan.changes, tracker.trackPatch(v.plan),
 *        await applyPlan(v.plan), report v.plan.stdout, emit turn_diff from tracker.unifiedDiff() }
 * ```
 */
import { applyPlan } from './apply';
import { isPatchError, type PatchError } from './errors';
import { extractPatchFromCommand } from './heredoc';
import { parsePatch, type ParsedPatch } from './parser';
import { planPatch, type PatchPlan } from './planner';

export { applyPlan, writeNewFile, type ApplyIo, type ApplyOptions, type NewFileOptions } from './apply';
export { isPatchError, PatchApplyError, PatchParseError, type PatchError, type PatchErrorTexts } from './errors';
export { extractPatchFromCommand } from './heredoc';
export { parsePatch, type AddFileHunk, type DeleteFileHunk, type ParsedPatch, type PatchHunk, type UpdateFileChunk, type UpdateFileHunk } from './parser';
export { resolveRealPath, UnresolvablePathError, type RealPathOptions } from './real-path';
export { planPatch, type FileSnapshot, type PatchPlan, type PlannedFile, type PlannedOperation } from './planner';
export { gitBlobSha1, TurnDiffTracker, type TurnDiffOptions } from './turn-diff';

/** The outcome of {@link verifyPatch}. */
export type VerifyResult =
  | { readonly status: 'not_apply_patch' }
  | {
      readonly status: 'invalid';
      readonly error: PatchError;
      /** The tool output for the model, measured in 0.29: `error: <message with absolute paths>`. */
      readonly toolOutput: string;
    }
  | { readonly status: 'ok'; readonly patch: ParsedPatch; readonly plan: PatchPlan };

/**
 * Recognises, parses and verifies an apply_patch call without touching the disk.
 *
 * @param argvOrText a `shell` argv (intercepted forms only, see
 *   {@link extractPatchFromCommand}) or the patch text itself.
 * @param cwd absolute directory for relative patch paths (the call's workdir).
 */
export async function verifyPatch(argvOrText: readonly string[] | string, cwd: string): Promise<VerifyResult> {
  const text = typeof argvOrText === 'string' ? argvOrText : extractPatchFromCommand(argvOrText);
  if (text === undefined) return { status: 'not_apply_patch' };
  try {
    const patch = parsePatch(text);
    const plan = await planPatch(patch, cwd);
    return { status: 'ok', patch, plan };
  } catch (err) {
    if (!isPatchError(err)) throw err;
    return { status: 'invalid', error: err, toolOutput: `error: ${err.modelMessage}` };
  }
}

/** What standalone `apply_patch` would report: exit code and its two output streams. */
export interface PatchRunResult {
  readonly exitCode: 0 | 1;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Parses, verifies and applies patch text in one go, reporting like the standalone
 * `apply_patch` binary (exit 1 and the message on stderr on failure) except that a failure
 * never leaves part of the patch applied.
 */
export async function applyPatchText(text: string, cwd: string): Promise<PatchRunResult> {
  try {
    const plan = await planPatch(parsePatch(text), cwd);
    await applyPlan(plan);
    return { exitCode: 0, stdout: plan.stdout, stderr: '' };
  } catch (err) {
    if (!isPatchError(err)) throw err;
    return { exitCode: 1, stdout: '', stderr: `${err.standaloneMessage}\n` };
  }
}
