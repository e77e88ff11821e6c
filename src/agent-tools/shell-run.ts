import { resolve } from 'node:path';
import { applyPlan, resolveRealPath, TurnDiffTracker, verifyPatch, type PatchPlan } from '../apply-patch';
import { EXEC_APPROVAL, PATCH_APPROVAL, type ApprovalOutcome, type ExecApprovalRequest, type PatchApprovalRequest } from '../approvals/approval-requests';
import { decideExecRun, decidePatch, EXEC_REJECTED_BY_USER, PATCH_REJECTED_BY_USER, PATCH_REJECTED_HOME } from '../approvals/decision';
import { isKnownSafeCommand } from '../approvals/safe-commands';
import { isInGitDir, isWithinRoots, realWritableRoots } from '../approvals/writable-roots';
import type { TurnContext } from '../conversations/agent-tool';
import { TurnAbortedError } from '../conversations/errors';
import { shlexJoin } from '../exec/shlex-join';
import {
  commandEnvironment,
  durationParts,
  formatOutputForModel,
  isSandboxDenial,
  runCommand,
  runSandboxed,
  sandboxDeniedError,
  sandboxDeniedOutput,
  timeoutOutput,
  toolOutputJson,
  type ExecResult,
  type RunCommandOptions,
} from '../exec';
import type { FunctionCallItem } from '../protocol/items';
import { DEFAULT_TIMEOUT_MS, type ShellToolDeps } from './shell-deps';

/*
 * What the shell and apply_patch tools do when called. Kept apart from their specs
 * (shell-tool.ts) so that the exec, sandbox and patch code is loaded on the first call, not at
 * start-up.
 */

const TURN_DIFF = Symbol('turn-diff');

/**
 * Output streamed as `exec_command_output_delta` per run, at most: 0.29 stops after 10,000 deltas
 * of at most 8 KiB. Past it the output is still captured for the end event and the model, just not
 * streamed: a model-run `yes` with a long `timeout_ms` otherwise queued events (four JSON bytes per
 * output byte) faster than a slow client read them, and the server grew by GBs until it died.
 */
export const MAX_DELTA_EVENTS_PER_RUN = 10_000;
export const MAX_DELTA_BYTES_PER_RUN = 10_000 * 8192;

interface ShellArgs {
  command: string[];
  workdir?: string;
  timeout_ms?: number;
  with_escalated_permissions?: boolean;
  justification?: string;
}

function parseArgs(text: string): ShellArgs | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `failed to parse function arguments: ${(err as Error).message}`;
  }
  const args = raw as Record<string, unknown>;
  if (!args || !Array.isArray(args.command) || args.command.length === 0 || !args.command.every((x) => typeof x === 'string')) {
    return 'failed to parse function arguments: command must be a non-empty array of strings';
  }
  return {
    command: args.command,
    workdir: typeof args.workdir === 'string' ? args.workdir : undefined,
    timeout_ms: typeof args.timeout_ms === 'number' && args.timeout_ms > 0 ? args.timeout_ms : undefined,
    with_escalated_permissions: args.with_escalated_permissions === true,
    justification: typeof args.justification === 'string' ? args.justification : undefined,
  };
}

/** A `shell` call: a patch (intercepted forms) or a command. */
export async function runShellCall(deps: ShellToolDeps, call: FunctionCallItem, ctx: TurnContext): Promise<string> {
  const args = parseArgs(call.arguments);
  if (typeof args === 'string') return args;
  const cwd = resolve(ctx.settings.cwd, args.workdir ?? '.');
  const patch = await verifyPatch(args.command, cwd);
  if (patch.status === 'invalid') return patch.toolOutput;
  if (patch.status === 'ok') return applyPatchFlow(deps, call, ctx, patch.plan, args.justification);
  return execFlow(deps, call, ctx, args, cwd);
}

/** An `apply_patch` function call (`{input}`). */
export async function runApplyPatchCall(deps: ShellToolDeps, call: FunctionCallItem, ctx: TurnContext): Promise<string> {
  let input: unknown;
  try {
    input = (JSON.parse(call.arguments) as { input?: unknown }).input;
  } catch (err) {
    return `failed to parse function arguments: ${(err as Error).message}`;
  }
  if (typeof input !== 'string') return 'failed to parse function arguments: input must be a string';
  const patch = await verifyPatch(input, ctx.settings.cwd);
  if (patch.status === 'invalid') return patch.toolOutput;
  if (patch.status !== 'ok') return 'error: not a patch';
  return applyPatchFlow(deps, call, ctx, patch.plan);
}

async function ask<Req extends ExecApprovalRequest | PatchApprovalRequest>(deps: ShellToolDeps, kind: string, req: Req, ctx: TurnContext): Promise<ApprovalOutcome> {
  const provider = deps.approvals<Req>(kind);
  const outcome: ApprovalOutcome = provider ? await provider.request(req, { signal: ctx.signal }) : { decision: 'denied', problem: `no plugin provides the ${kind} approval` };
  // Every approval answer takes a submission id (WIRE.md §6.1).
  ctx.takeSubmissionId();
  if (outcome.problem) ctx.emit({ type: 'background_event', message: `approval treated as denied: ${outcome.problem}` });
  if (outcome.decision === 'abort') throw new TurnAbortedError('interrupted');
  return outcome;
}

async function execFlow(deps: ShellToolDeps, call: FunctionCallItem, ctx: TurnContext, args: ShellArgs, cwd: string): Promise<string> {
  const s = ctx.settings;
  const argv = args.command;
  const key = JSON.stringify(argv);
  const decision = decideExecRun({
    policy: s.approvalPolicy,
    sandboxMode: s.sandboxPolicy.mode,
    safe: isKnownSafeCommand(argv),
    escalated: s.approvalPolicy === 'on-request' && args.with_escalated_permissions === true,
    approvedForSession: ctx.approvedForSession.has(key),
  });
  const request = (shownCwd: string, reason?: string): ExecApprovalRequest => ({
    conversationId: ctx.conversationId,
    callId: call.call_id,
    origin: ctx.origin,
    eventId: ctx.submissionId,
    command: argv,
    cwd: shownCwd,
    reason,
    timeoutMs: s.approvalTimeoutMs,
  });
  const approve = async (reason?: string): Promise<boolean> => {
    // The client approves running in the folder the command really runs in, not a link's name for it.
    const shownCwd = await resolveRealPath(cwd, { followFinal: true }).catch(() => cwd);
    ctx.emit({ type: 'exec_approval_request', call_id: call.call_id, command: argv, cwd: shownCwd, ...(reason !== undefined ? { reason } : {}) });
    const { decision: d } = await ask(deps, EXEC_APPROVAL, request(shownCwd, reason), ctx);
    if (d === 'approved_for_session') ctx.approvedForSession.add(key);
    return d === 'approved' || d === 'approved_for_session';
  };

  if (decision.kind === 'ask') {
    if (!(await approve(args.justification))) return EXEC_REJECTED_BY_USER;
    return finish(await runOnce(deps, call, ctx, argv, cwd, args, false), false);
  }
  if (!decision.sandbox) return finish(await runOnce(deps, call, ctx, argv, cwd, args, false), false);

  const first = await runOnce(deps, call, ctx, argv, cwd, args, true);
  const denied = first.sandboxUnavailable !== undefined || isSandboxDenial(first);
  if (!denied) return finish(first, true);
  const why =
    first.sandboxUnavailable !== undefined
      ? `sandbox unavailable: ${first.sandboxUnavailable}; the command was not run`
      : sandboxDeniedError(first.exitCode, first.stdout, first.stderr);
  if (decision.onSandboxDenial === 'report') {
    return first.sandboxUnavailable !== undefined ? `failed in sandbox: ${why}` : sandboxDeniedOutput(first.exitCode, first.stdout, first.stderr);
  }
  ctx.emit({ type: 'background_event', message: `Execution failed: ${why}` });
  if (!(await approve('command failed in the sandbox; retry without it?'))) return EXEC_REJECTED_BY_USER;
  ctx.emit({ type: 'background_event', message: 'retrying command without sandbox' });
  return finish(await runOnce(deps, call, ctx, argv, cwd, args, false), false);
}

/** One run with its begin/delta/end events; a denial in the sandbox ends with exit code -1 as 0.29 reports it. */
async function runOnce(deps: ShellToolDeps, call: FunctionCallItem, ctx: TurnContext, argv: string[], cwd: string, args: ShellArgs, sandboxed: boolean): Promise<ExecResult> {
  const s = ctx.settings;
  ctx.emit({ type: 'exec_command_begin', call_id: call.call_id, command: argv, cwd, parsed_cmd: [{ type: 'unknown', cmd: shlexJoin(argv) }] });
  let deltaEvents = 0;
  let deltaBytes = 0;
  const options: RunCommandOptions = {
    argv,
    cwd,
    env: commandEnvironment(s.shellEnvironmentPolicy, s.sandboxPolicy),
    timeoutMs: args.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    signal: ctx.signal,
    groups: deps.groups,
    onOutput: (stream, chunk) => {
      if (deltaEvents >= MAX_DELTA_EVENTS_PER_RUN || deltaBytes >= MAX_DELTA_BYTES_PER_RUN) return;
      const sent = chunk.subarray(0, MAX_DELTA_BYTES_PER_RUN - deltaBytes);
      deltaEvents++;
      deltaBytes += sent.length;
      ctx.emit({ type: 'exec_command_output_delta', call_id: call.call_id, stream, chunk: [...sent] });
    },
  };
  const result = sandboxed
    ? // The roots are the conversation's, whatever workdir the model picked; the home stays read-only.
      await runSandboxed(options, { policy: s.sandboxPolicy, probe: deps.probe(), rootsCwd: s.cwd, readOnly: deps.home === undefined ? undefined : [deps.home] })
    : await runCommand(options);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const denied = sandboxed && (result.sandboxUnavailable !== undefined || isSandboxDenial(result));
  const stderr = result.sandboxUnavailable !== undefined ? `sandbox unavailable: ${result.sandboxUnavailable}` : result.stderr;
  const formatted = formatOutputForModel(result.aggregated);
  ctx.emit({
    type: 'exec_command_end',
    call_id: call.call_id,
    stdout: result.stdout,
    stderr,
    aggregated_output: result.aggregated || stderr,
    exit_code: denied || result.timedOut ? -1 : result.exitCode,
    duration: durationParts(result.durationMs),
    formatted_output: formatted,
  });
  return result;
}

/** The tool output for a finished run (WIRE.md §9, SANDBOX.md §4). */
function finish(result: ExecResult, sandboxed: boolean): string {
  if (result.timedOut) return timeoutOutput(sandboxed);
  if (result.spawnError !== undefined && result.aggregated === '') {
    return toolOutputJson(result.spawnError, result.exitCode, result.durationMs);
  }
  return toolOutputJson(formatOutputForModel(result.aggregated), result.exitCode, result.durationMs);
}

async function applyPatchFlow(deps: ShellToolDeps, call: FunctionCallItem, ctx: TurnContext, plan: PatchPlan, reason?: string): Promise<string> {
  const s = ctx.settings;
  // Real paths on both sides (issue 18): a patch through a symbolic link is judged by where it lands.
  const roots = await realWritableRoots(s.sandboxPolicy, s.cwd);
  const decision = decidePatch({
    policy: s.approvalPolicy,
    sandboxMode: s.sandboxPolicy.mode,
    allWithinRoots: plan.affectedPaths.every((p) => isWithinRoots(p, roots)),
    writesGitDir: [...plan.requestedPaths, ...plan.affectedPaths].some(isInGitDir),
  });
  // The home holds the config (policies, `notify`), auth.json and rollouts: never the model's to
  // write, even when a writable root contains it (a conversation in the user's home folder).
  if (s.sandboxPolicy.mode !== 'danger-full-access' && deps.home !== undefined) {
    const home = await resolveRealPath(deps.home, { followFinal: true }).catch(() => deps.home!);
    if ([...plan.requestedPaths, ...plan.affectedPaths].some((p) => isWithinRoots(p, [home, deps.home!]))) return PATCH_REJECTED_HOME;
  }
  if (decision.kind === 'reject') return decision.message;
  let autoApproved = true;
  if (decision.kind === 'ask') {
    ctx.emit({ type: 'apply_patch_approval_request', call_id: call.call_id, changes: plan.changes, ...(reason !== undefined ? { reason } : {}) });
    const outcome = await ask<PatchApprovalRequest>(
      deps,
      PATCH_APPROVAL,
      { conversationId: ctx.conversationId, callId: call.call_id, origin: ctx.origin, eventId: ctx.submissionId, changes: plan.changes, reason, timeoutMs: s.approvalTimeoutMs },
      ctx,
    );
    if (outcome.decision !== 'approved' && outcome.decision !== 'approved_for_session') return PATCH_REJECTED_BY_USER;
    autoApproved = false;
  }
  const started = performance.now();
  ctx.emit({ type: 'patch_apply_begin', call_id: call.call_id, auto_approved: autoApproved, changes: plan.changes });
  const tracker = turnDiff(ctx);
  tracker.trackPatch(plan);
  try {
    await applyPlan(plan);
  } catch (err) {
    const message = (err as { modelMessage?: string }).modelMessage ?? (err as Error).message;
    ctx.emit({ type: 'patch_apply_end', call_id: call.call_id, stdout: '', stderr: `${message}\n`, success: false });
    return `error: ${message}`;
  }
  ctx.emit({ type: 'patch_apply_end', call_id: call.call_id, stdout: plan.stdout, stderr: '', success: true });
  ctx.emit({ type: 'turn_diff', unified_diff: await tracker.unifiedDiff() });
  return toolOutputJson(plan.stdout, 0, performance.now() - started);
}

/** The turn's diff tracker; the first patch of a turn also schedules the final `turn_diff` before task_complete. */
function turnDiff(ctx: TurnContext): TurnDiffTracker {
  let tracker = ctx.state.get(TURN_DIFF) as TurnDiffTracker | undefined;
  if (!tracker) {
    const created = new TurnDiffTracker();
    tracker = created;
    ctx.state.set(TURN_DIFF, created);
    ctx.beforeComplete(async () => {
      if (!created.isEmpty) ctx.emit({ type: 'turn_diff', unified_diff: await created.unifiedDiff() });
    });
  }
  return tracker;
}
