import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/** The search path execvp uses when the environment has no PATH (glibc's confstr(_CS_PATH)). */
const DEFAULT_PATH = '/bin:/usr/bin';

/** Where a program was found, or the errno code a spawn of it would fail with. */
export type ProgramLookup = { path: string } | { error: 'ENOENT' | 'EACCES' };

/**
 * Looks for `program` the way execvp would: a name with a slash is taken relative to `cwd`, a bare
 * name is searched in `searchPath`. Returns the file found, else the errno code a spawn would fail
 * with: `EACCES` when only a file that cannot be run was found, `ENOENT` otherwise. Starting the
 * file found, rather than the bare name, spares the new process execvp's failed tries along PATH.
 */
export function findProgram(program: string, searchPath: string | undefined, cwd: string): ProgramLookup {
  if (program.includes('/')) {
    const path = resolve(cwd, program);
    const error = runnable(path);
    return error === undefined ? { path } : { error };
  }
  let denied = false;
  for (const dir of (searchPath ?? DEFAULT_PATH).split(delimiter)) {
    // An empty entry means the working directory, as for execvp.
    const path = resolve(cwd, dir || '.', program);
    const error = runnable(path);
    if (error === undefined) return { path };
    if (error === 'EACCES') denied = true;
  }
  return { error: denied ? 'EACCES' : 'ENOENT' };
}

function runnable(path: string): 'ENOENT' | 'EACCES' | undefined {
  let isFile: boolean;
  try {
    // No exception for the usual miss (most PATH entries do not hold the program): throwing and
    // catching one per entry cost more than the stat.
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return 'ENOENT';
    isFile = stats.isFile();
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
