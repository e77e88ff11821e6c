import type { ExecFileException } from 'node:child_process';
import { isAbsolute } from 'node:path';

interface GitResult {
  code: number;
  stdout: string;
}

/** Runs git without a shell; a missing git or a failure is a non-zero code, never a throw. */
function git(args: string[], cwd: string, signal: AbortSignal): Promise<GitResult> {
  // Loaded on first use: child_process costs start-up time that most sessions never need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    execFile('git', args, { cwd, signal, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (err: ExecFileException | null, stdout: string) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout });
    });
  });
}

/** The remote-tracking commit the work is based on: the upstream of the branch, else a remote branch that contains HEAD. */
async function remoteBase(cwd: string, signal: AbortSignal): Promise<string | undefined> {
  const upstream = await git(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], cwd, signal);
  const candidates: string[] = [];
  if (upstream.code === 0 && upstream.stdout.trim()) candidates.push(upstream.stdout.trim());
  const containing = await git(['branch', '-r', '--contains', 'HEAD', '--format=%(refname:short)'], cwd, signal);
  if (containing.code === 0) candidates.push(...containing.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('/HEAD')));
  for (const ref of candidates) {
    const base = await git(['merge-base', 'HEAD', ref], cwd, signal);
    if (base.code === 0 && base.stdout.trim()) return base.stdout.trim();
  }
  return undefined;
}

/**
 * `gitDiffToRemote` (WIRE.md §5.11): the sha of the remote-tracking base and the diff of the work
 * tree against it, tracked changes first, then each untracked file as a new file. Undefined when
 * cwd is not in a repository, does not exist, or has no remote base.
 */
export async function gitDiffToRemote(cwd: string, signal: AbortSignal): Promise<{ sha: string; diff: string } | undefined> {
  const dir = isAbsolute(cwd) ? cwd : `${process.cwd()}/${cwd}`;
  const top = await git(['rev-parse', '--show-toplevel'], dir, signal);
  if (top.code !== 0) return undefined;
  const root = top.stdout.trim();
  const sha = await remoteBase(root, signal);
  if (!sha) return undefined;
  const tracked = await git(['diff', '--no-textconv', '--no-ext-diff', sha], root, signal);
  if (tracked.code !== 0) return undefined;
  let diff = tracked.stdout;
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], root, signal);
  for (const file of untracked.stdout.split('\0').filter(Boolean)) {
    // `--no-index` exits 1 when the files differ, which for a new file they always do.
    const added = await git(['diff', '--no-textconv', '--no-ext-diff', '--no-index', '--', '/dev/null', file], root, signal);
    diff += added.stdout;
  }
  return { sha, diff };
}
