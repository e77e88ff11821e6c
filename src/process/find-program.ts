import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/** The search path execvp uses when the environment has no PATH (glibc's confstr(_CS_PATH)). */
const DEFAULT_PATH = '/bin:/usr/bin';

/**
 * Whether `program` can be started the way execvp would look for it: a name with a slash is taken
 * relative to `cwd`, a bare name is searched in `searchPath`. Returns undefined when it is found,
 * else the errno code a spawn would fail with: `EACCES` when only a file that cannot be run was
 * found, `ENOENT` otherwise.
 */
export function findProgram(program: string, searchPath: string | undefined, cwd: string): 'ENOENT' | 'EACCES' | undefined {
  if (program.includes('/')) return runnable(resolve(cwd, program));
  let denied = false;
  for (const dir of (searchPath ?? DEFAULT_PATH).split(delimiter)) {
    // An empty entry means the working directory, as for execvp.
    const found = runnable(resolve(cwd, dir || '.', program));
    if (found === undefined) return undefined;
    if (found === 'EACCES') denied = true;
  }
  return denied ? 'EACCES' : 'ENOENT';
}

function runnable(path: string): 'ENOENT' | 'EACCES' | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return 'ENOENT';
  }
  if (!isFile) return 'EACCES';
  try {
    accessSync(path, fsConstants.X_OK);
    return undefined;
  } catch {
    return 'EACCES';
  }
}
