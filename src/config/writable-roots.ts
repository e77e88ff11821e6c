import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { SandboxPolicy } from './conversation-settings';

/**
 * The folders a sandboxed command or a patch may write below (SANDBOX.md §1, APPROVAL.md §5):
 * `'all'` for danger-full-access, none for read-only, and for workspace-write the cwd, each
 * `writable_roots` entry (relative ones against the cwd), `/tmp` unless `exclude_slash_tmp`, and
 * `$TMPDIR` unless `exclude_tmpdir_env_var`. Every root is absolute and lexically normalised;
 * duplicates are dropped.
 *
 * @param cwd the conversation's working folder; relative values resolve against the process cwd.
 * @param env where `TMPDIR` is read; an unset or empty `TMPDIR` adds nothing.
 */
export function writableRoots(policy: SandboxPolicy, cwd: string, env: NodeJS.ProcessEnv = process.env): string[] | 'all' {
  switch (policy.mode) {
    case 'danger-full-access':
      return 'all';
    case 'read-only':
      return [];
    case 'workspace-write': {
      const base = path.resolve(cwd);
      const roots = [base, ...(policy.writable_roots ?? []).map((root) => path.resolve(base, root))];
      if (policy.exclude_slash_tmp !== true) roots.push('/tmp');
      const tmpdir = env.TMPDIR;
      if (policy.exclude_tmpdir_env_var !== true && tmpdir) roots.push(path.resolve(base, tmpdir));
      return [...new Set(roots)];
    }
  }
}

/**
 * Whether a sandboxed command could have chosen where `root` leads: some component of its path is
 * a symbolic link kept in a folder that another root makes writable (by its path or by its real
 * path). Roots are re-resolved before every command, so such a root would be bound wherever the
 * model last aimed the link: with the project at /tmp/a/proj, one command can move /tmp/a away and
 * put `proj -> $HOME` in its place, and the next one would get the home folder read-write. A root
 * whose own path does not exist has nothing planted yet (and is not bound).
 *
 * Synchronous because the sandbox's argv is built synchronously (exec/sandbox.ts). Kept here,
 * next to {@link writableRoots}, because exec may not import approvals (docs/ARCHITECTURE.md, "Layers").
 */
export function isPlantedRoot(root: string, roots: readonly string[]): boolean {
  const others = roots.filter((other) => other !== root);
  const othersReal = others.map((other) => {
    try {
      return realpathSync(other);
    } catch {
      return other;
    }
  });
  const writable = (dir: string): boolean => isWithinRoots(dir, others) || isWithinRoots(dir, othersReal);
  let real = path.parse(path.resolve(root)).root;
  for (const part of path.resolve(root).split(path.sep).filter(Boolean)) {
    const next = path.join(real, part);
    try {
      if (!lstatSync(next).isSymbolicLink()) {
        real = next;
        continue;
      }
      if (writable(real)) return true;
      real = realpathSync(next);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Whether `absPath` is one of `roots` or lies below one. The comparison is lexical, as in 0.29:
 * `..` and `.` segments are folded, symlinks are not followed, so a link inside a root that points
 * elsewhere still counts as inside. Patches therefore pass real paths and `realWritableRoots` (approvals/writable-roots.ts).
 *
 * @param absPath an absolute path; a relative one has no defined place and is never inside.
 */
export function isWithinRoots(absPath: string, roots: readonly string[] | 'all'): boolean {
  if (roots === 'all') return true;
  if (!path.isAbsolute(absPath)) return false;
  const target = path.resolve(absPath);
  return roots.some((root) => {
    const rel = path.relative(path.resolve(root), target);
    // A folder named like `..foo` is inside; only a real `..` segment leaves the root.
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  });
}
