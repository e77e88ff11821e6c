import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { networkEnabled, type SandboxPolicy, type ShellEnvironmentPolicy } from '../config/conversation-settings';
import { buildShellEnvironment } from '../config/shell-environment';
import { isPlantedRoot, isWithinRoots, writableRoots } from '../config/writable-roots';
import { findOnPath } from '../process/lifeline';
import { notStartedResult, runCommand, type ExecResult, type RunCommandOptions } from './run-command';

/** What {@link SandboxProbe.probe} found out. */
export interface SandboxProbeResult {
  /** Whether bubblewrap can create the sandbox agentwire needs on this machine. */
  available: boolean;
  /** Why not, when unavailable, in words fit for the model and the client. */
  reason?: string;
  /** Absolute path of the bwrap binary that worked. */
  bwrapPath?: string;
}

/** Where to look for bwrap and how long to give the trial run. */
export interface SandboxProbeOptions {
  /** Use this binary instead of searching PATH. */
  bwrapPath?: string;
  /** The PATH to search; the server's own PATH by default. */
  searchPath?: string;
  /** Limit for the trial run. */
  timeoutMs?: number;
}

/** Asks for a sandboxed run; see {@link runSandboxed}. */
export interface SandboxPlan {
  policy: SandboxPolicy;
  /**
   * The folder workspace-write's roots belong to: the conversation's cwd. The command's own cwd
   * (the model's `workdir`) by default, which must not be used for a model-chosen workdir: that
   * would make any folder the model names writable.
   */
  rootsCwd?: string;
  /** Folders kept read-only even inside a writable root: the agentwire home (see {@link SandboxArgvOptions.readOnly}). */
  readOnly?: string[];
  /** Consulted before every sandboxed run; it only probes once. */
  probe: SandboxProbe;
}

/** The reason given when no bwrap binary is found. */
export const BWRAP_MISSING_REASON = 'bubblewrap (bwrap) is not installed';

/**
 * The trial sandbox: the namespaces every agentwire sandbox uses. Unprivileged bwrap fails here when
 * user namespaces are disabled, so a success means real commands can be wrapped the same way.
 */
const PROBE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session', '--', '/bin/true'];

/**
 * Checks once whether bubblewrap can sandbox commands here (SANDBOX.md §5: checked once at start-up).
 * The answer is cached; concurrent callers share the one trial run.
 */
export class SandboxProbe {
  private pending?: Promise<SandboxProbeResult>;

  constructor(private readonly options: SandboxProbeOptions = {}) {}

  /** Resolves to whether the sandbox works; never rejects. */
  async probe(): Promise<SandboxProbeResult> {
    this.pending ??= this.run();
    return this.pending;
  }

  private async run(): Promise<SandboxProbeResult> {
    const bwrap = this.options.bwrapPath ?? findOnPath('bwrap', this.options.searchPath ?? process.env.PATH ?? '');
    if (bwrap === undefined) return { available: false, reason: BWRAP_MISSING_REASON };
    const timeout = this.options.timeoutMs ?? 10_000;
    return new Promise((done) => {
      // Required on first use, not at start-up (see lifeline.ts).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
      const { execFile } = require('node:child_process') as typeof import('node:child_process');
      execFile(bwrap, PROBE_ARGS, { timeout, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, _stdout, stderr) => {
        if (!error) {
          done({ available: true, bwrapPath: bwrap });
          return;
        }
        const detail = firstLine(stderr);
        let why: string;
        if (error.killed) why = `did not finish within ${timeout} ms`;
        else if (typeof error.code === 'string') why = `could not be started (${error.code})`;
        else why = detail || `exited with status ${String(error.code ?? error.signal)}`;
        done({ available: false, reason: `bubblewrap (bwrap) cannot create a sandbox: ${why}` });
      });
    });
  }
}

/**
 * Runs a command inside bubblewrap under the plan's policy (danger-full-access runs it as is). When
 * the sandbox cannot be created the command is not run at all: never a fallback to running it
 * unsandboxed (SANDBOX.md §5); the caller reports or asks instead.
 */
export async function runSandboxed(opts: RunCommandOptions, plan: SandboxPlan): Promise<ExecResult> {
  if (plan.policy.mode === 'danger-full-access') return runCommand(opts);
  const probe = await plan.probe.probe();
  if (!probe.available) {
    const reason = probe.reason ?? 'the sandbox is unavailable';
    return notStartedResult({ exitCode: -1, sandboxUnavailable: reason, spawnError: `sandbox unavailable: ${reason}` });
  }
  const argv = buildSandboxedArgv(opts.argv, plan.policy, opts.cwd, opts.env, { bwrap: probe.bwrapPath, rootsCwd: plan.rootsCwd, readOnly: plan.readOnly }).argv;
  return runCommand({ ...opts, argv, sandboxed: true });
}

/** Optional pieces of {@link buildSandboxedArgv}. */
export interface SandboxArgvOptions {
  /** The bwrap binary to name in argv[0]; plain `bwrap` (found through PATH) by default. */
  bwrap?: string;
  /** Where the writable roots are computed from (the conversation's cwd); `cwd` by default. */
  rootsCwd?: string;
  /**
   * Paths bound read-only again when they lie inside a writable root, as `.git` is: the agentwire
   * home, whose config.toml (`notify`, policies), auth.json and rollouts must never be the model's.
   */
  readOnly?: string[];
}

/**
 * Wraps argv in bubblewrap for the policy (SANDBOX.md §5): everything read-only, then the writable
 * roots bound read-write, each root's top-level `.git` bound read-only again, the network cut unless
 * allowed, and the command in fresh pid namespace and session that die with agentwire.
 * danger-full-access returns argv unchanged. Looks at the file system (writable roots that do not
 * exist are left out, symlinks are resolved) but starts nothing.
 */
export function buildSandboxedArgv(
  argv: string[],
  policy: SandboxPolicy,
  cwd: string,
  env: Record<string, string | undefined>,
  options: SandboxArgvOptions = {},
): { argv: string[] } {
  if (policy.mode === 'danger-full-access') return { argv: [...argv] };
  const args = [options.bwrap ?? 'bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  if (policy.mode === 'workspace-write') {
    const roots = writableRoots(policy, options.rootsCwd ?? cwd, env);
    if (roots !== 'all') args.push(...writableMounts(roots, options.readOnly ?? []));
  }
  if (!networkEnabled(policy)) args.push('--unshare-net');
  args.push('--unshare-pid', '--die-with-parent', '--new-session', '--chdir', resolve(cwd), '--', ...argv);
  return { argv: args };
}

/**
 * bwrap arguments for the writable roots. Real paths, so a symlinked root makes its target writable
 * rather than having bwrap mount over the link. Shallow paths first so a nested bind is not hidden
 * by its parent's; the `.git` binds last because a later mount covers an earlier one.
 *
 * /tmp outside the roots is not replaced by a tmpfs: `--ro-bind / /` already leaves it read-only,
 * and commands can still read it as under 0.29 (SANDBOX.md §5 accepts either).
 */
function writableMounts(roots: string[], readOnly: readonly string[]): string[] {
  const real = new Set<string>();
  for (const root of roots) {
    // A root the model can re-aim (a link planted on its way, in a folder another root makes
    // writable) is left out, as for patches (realWritableRoots): the other root covers its place.
    const target = realDirectory(root);
    if (target !== undefined && target !== root && roots.some((other) => other !== root && isWithinRoots(root, [other]))) continue;
    if (isPlantedRoot(root, roots)) continue;
    if (target !== undefined) real.add(target);
  }
  const ordered = [...real].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const args: string[] = [];
  for (const dir of ordered) args.push('--bind', dir, dir);
  const protectedGit = new Set<string>();
  for (const dir of ordered) {
    const git = join(dir, '.git');
    if (!existsSync(git)) continue;
    // A `.git` file (worktree, submodule) is protected as well as a folder.
    const target = realPathOf(git);
    if (target === undefined || protectedGit.has(target)) continue;
    protectedGit.add(target);
    args.push('--ro-bind', target, target);
  }
  for (const path of readOnly) {
    const target = realPathOf(path);
    if (target === undefined || protectedGit.has(target) || !ordered.some((dir) => isWithinRoots(target, [dir]))) continue;
    protectedGit.add(target);
    args.push('--ro-bind', target, target);
  }
  return args;
}

/** Whether the command runs with the network cut, i.e. whether `CODEX_SANDBOX_NETWORK_DISABLED=1` is set. */
export function networkDisabled(policy: SandboxPolicy): boolean {
  return !networkEnabled(policy);
}

/**
 * The environment for a command under these policies: {@link buildShellEnvironment} over `base`,
 * with `CODEX_SANDBOX_NETWORK_DISABLED=1` when the sandbox cuts the network (SANDBOX.md §2).
 */
export function commandEnvironment(shellPolicy: ShellEnvironmentPolicy, sandboxPolicy: SandboxPolicy, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return buildShellEnvironment(shellPolicy, base, { networkDisabled: networkDisabled(sandboxPolicy) });
}

const DENIAL_MESSAGES = /Read-only file system|Permission denied|Operation not permitted/;

/**
 * Whether a sandboxed command was stopped by the sandbox (SANDBOX.md §3, agentwire's rule): it
 * exited non-zero and its stderr carries an EROFS/EACCES/EPERM message. 0.29 counted every non-zero
 * exit, which turned failing tests or a `grep` without matches into "sandbox denials" and approval
 * requests. Timeouts and aborts are never denials: they have their own reporting.
 */
export function isSandboxDenial(result: ExecResult): boolean {
  if (result.timedOut || result.aborted) return false;
  return result.exitCode !== 0 && DENIAL_MESSAGES.test(result.stderr);
}

function realDirectory(path: string): string | undefined {
  try {
    const target = realpathSync(path);
    return statSync(target).isDirectory() ? target : undefined;
  } catch {
    return undefined;
  }
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function depth(path: string): number {
  return path === '/' ? 0 : path.split('/').length;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}
