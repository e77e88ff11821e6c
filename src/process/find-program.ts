import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, isAbsolute } from 'node:path';

/** The search path execvp uses when the environment has no PATH (glibc's confstr(_CS_PATH)). */
const DEFAULT_PATH = '/bin:/usr/bin';

/**
 * Found: `file` is the file to start instead of the name, when there is one (see findProgram); or
 * the errno code a spawn would fail with.
 */
export type ProgramLookup = { file: string | undefined } | { error: string };

/**
 * Looks for `program` the way execvp would: a name with a slash is taken relative to `cwd`, a bare
 * name is searched in `searchPath`. When found, a bare name found in an absolute PATH entry comes
 * with `file`, the path execvp would have started (`<entry>/<name>`): starting that spares the new
 * process execvp's failed tries along the entries before it, and it is the very string execvp
 * hands the kernel, so a script's `$0` is the same. Anything else (a name with a slash, a relative
 * entry) is left to execvp in the command's own working folder. Else the errno code a spawn would
 * fail with: for a name with a slash, the one its path gives (`ENOENT`, `ENOTDIR`, `ELOOP`, or
 * `EACCES` for a file that cannot be run); for a bare name, `EACCES` when only a file that cannot be
 * run was found along PATH, `ENOENT` otherwise, as execvp reports.
 *
 * Paths are joined as strings, never normalised, so `link/../x` is looked up as the kernel would
 * (through the link), not as `x`.
 */
export function findProgram(program: string, searchPath: string | undefined, cwd: string): ProgramLookup {
  if (program.includes('/')) {
    const error = runnable(isAbsolute(program) ? program : `${cwd}/${program}`);
    return error === undefined ? { file: undefined } : { error };
  }
  let denied = false;
  for (const dir of (searchPath ?? DEFAULT_PATH).split(delimiter)) {
    // An empty entry means the working directory, as for execvp.
    const absolute = isAbsolute(dir);
    const path = absolute ? `${dir}/${program}` : `${cwd}/${dir || '.'}/${program}`;
    const error = runnable(path);
    if (error === undefined) return { file: absolute ? path : undefined };
    if (error === 'EACCES') denied = true;
  }
  return { error: denied ? 'EACCES' : 'ENOENT' };
}

/** Undefined when `path` is a file this user may run; else the errno code starting it would give. */
function runnable(path: string): string | undefined {
  let isFile: boolean;
  try {
    // No exception for the usual miss (most PATH entries do not hold the program): throwing and
    // catching one per entry cost more than the stat.
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return 'ENOENT';
    isFile = stats.isFile();
  } catch (err) {
    return typeof (err as NodeJS.ErrnoException)?.code === 'string' ? (err as NodeJS.ErrnoException).code : 'ENOENT';
  }
  if (!isFile) return 'EACCES';
  try {
    accessSync(path, fsConstants.X_OK);
    return undefined;
  } catch {
    return 'EACCES';
  }
}
