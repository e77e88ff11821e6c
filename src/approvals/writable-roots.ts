import path from 'node:path';
import { resolveRealPath } from '../apply-patch/real-path';
import type { SandboxPolicy } from '../config/conversation-settings';

import { isPlantedRoot, isWithinRoots, writableRoots } from '../config/writable-roots';

export { isPlantedRoot, isWithinRoots, writableRoots };

/**
 * {@link writableRoots} as real paths, for comparing with the real paths of a patch (issue 18:
 * a lexical check let `link/x` with `link -> /outside` count as inside). Each root is resolved
 * through symbolic links, since the user may well reach the project through one. A root that
 * lies inside another root but resolves elsewhere is dropped: the model can write inside the
 * outer root, so it could have made that link itself and aimed it anywhere, and the outer root
 * already covers the root's own place. A root that cannot be resolved keeps its lexical path.
 */
export async function realWritableRoots(policy: SandboxPolicy, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string[] | 'all'> {
  const roots = writableRoots(policy, cwd, env);
  if (roots === 'all') return roots;
  const out: string[] = [];
  for (const root of roots) {
    const real = await resolveRealPath(root, { followFinal: true }).catch(() => root);
    const planted = (real !== root && roots.some((other) => other !== root && isWithinRoots(root, [other]))) || isPlantedRoot(root, roots);
    if (!planted) out.push(real);
  }
  return [...new Set(out)];
}

/**
 * True when a path lies in a git folder: one of its components is `.git` (a repository's
 * folder, or a worktree's or submodule's `.git` file). Git runs what that folder says as code
 * (`core.fsmonitor`, `core.hooksPath`, hooks, aliases), so a patch must not write there. Compared
 * without case: on a case-insensitive file system `.GIT` is the same folder.
 */
export function isInGitDir(absPath: string): boolean {
  return path
    .resolve(absPath)
    .split(path.sep)
    .some((part) => part.toLowerCase() === '.git');
}
