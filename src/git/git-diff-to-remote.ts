import type * as FsPromises from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { SandboxProbe } from '../exec/sandbox';
import { SafeGit } from './safe-git';

/** The remote-tracking commit the work is based on: the upstream of the branch, else a remote branch that contains HEAD. */
async function remoteBase(git: SafeGit, cwd: string): Promise<string | undefined> {
  const upstream = await git.run(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], cwd);
  const candidates: string[] = [];
  if (upstream.code === 0 && upstream.stdout.trim()) candidates.push(upstream.stdout.trim());
  const containing = await git.run(['branch', '-r', '--contains', 'HEAD', '--format=%(refname:short)'], cwd);
  if (containing.code === 0)
    candidates.push(
      ...containing.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.endsWith('/HEAD')),
    );
  for (const ref of candidates) {
    const base = await git.run(['merge-base', 'HEAD', ref], cwd);
    if (base.code === 0 && base.stdout.trim()) return base.stdout.trim();
  }
  return undefined;
}

/**
 * `gitDiffToRemote` (WIRE.md §5.11): the sha of the remote-tracking base and the diff of the work
 * tree against it, tracked changes first, then each untracked file as a new file. Undefined when
 * cwd is not in a repository, does not exist, or has no remote base.
 *
 * The repository may have been written by the model, so every git command goes through
 * {@link SafeGit}: its config cannot make git run a program, and with `probe` (bubblewrap working)
 * git runs in a read-only sandbox without network as well.
 */
export async function gitDiffToRemote(cwd: string, signal: AbortSignal, probe?: SandboxProbe): Promise<{ sha: string; diff: string } | undefined> {
  const dir = isAbsolute(cwd) ? cwd : `${process.cwd()}/${cwd}`;
  const git = new SafeGit({ signal, probe });
  const top = await git.run(['rev-parse', '--show-toplevel'], dir);
  if (top.code !== 0) return undefined;
  const root = top.stdout.trim();
  const sha = await remoteBase(git, root);
  if (!sha) return undefined;
  const tracked = await git.run(['diff', sha], root);
  if (tracked.code !== 0) return undefined;
  let diff = tracked.stdout;
  const untracked = await git.run(['ls-files', '--others', '--exclude-standard', '-z'], root);
  for (const file of untracked.stdout.split('\0').filter(Boolean)) {
    // Only regular files and links (shown as links, not followed): the model can make a FIFO here, and newer gits
    // read a FIFO given to `--no-index`, which would hang this request.
    if (!(await isFileOrLink(join(root, file)))) continue;
    // `--no-index` exits 1 when the files differ, which for a new file they always do.
    const added = await git.run(['diff', '--no-index', '--', '/dev/null', file], root);
    diff += added.stdout;
  }
  return { sha, diff };
}

async function isFileOrLink(path: string): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    const info = await (require('node:fs/promises') as typeof FsPromises).lstat(path);
    return info.isFile() || info.isSymbolicLink();
  } catch {
    return false;
  }
}
