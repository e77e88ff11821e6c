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
