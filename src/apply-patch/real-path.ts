import { promises as fsp } from 'fs';
import { basename, dirname, join, resolve } from 'path';

/**
 * A path could not be resolved to the place a write would really land: a component is a
 * dangling symbolic link (following it would create its target, wherever that is), a link
 * loop, or an unreadable folder.
 */
export class UnresolvablePathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnresolvablePathError';
  }
}

/** Options of {@link resolveRealPath}. */
export interface RealPathOptions {
  /**
   * Resolve the last component too when it is a symbolic link (true: where a write of the
   * file's content lands) or keep it as the entry itself (false: what an unlink removes).
   */
  readonly followFinal: boolean;
}

/**
 * Where `absPath` really is: every existing component resolved through symbolic links
 * (`realpath`), and the components that do not exist yet appended as written. This is the
 * path a write will create or change, so the writable-roots decision is taken on it rather
 * than on the patch's text: `link/new.txt` with `link -> /elsewhere` resolves to
 * `/elsewhere/new.txt` even though neither `new.txt` nor anything below `link` exists.
 *
 * Node has no "resolve as far as it exists" call (`fs.realpath` fails on a missing file), so
 * the walk up to the deepest existing ancestor is written here.
 *
 * @throws {UnresolvablePathError} when a component is a dangling symbolic link (the final
 *   one only matters with `followFinal`), a link loop, or cannot be examined.
 */
export async function resolveRealPath(absPath: string, options: RealPathOptions): Promise<string> {
  const path = resolve(absPath);
  const parent = dirname(path);
  if (parent === path) return path;
  if (!options.followFinal) {
    return join(await resolveRealPath(parent, { followFinal: true }), basename(path));
  }
  try {
    return await fsp.realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw unresolvable(path, err);
  }
  // Something on the way is missing: resolve the parent, then look at this entry itself.
  const candidate = join(await resolveRealPath(parent, { followFinal: true }), basename(path));
  try {
    const st = await fsp.lstat(candidate);
    if (st.isSymbolicLink()) {
      throw new UnresolvablePathError(path, `refusing to follow the dangling symbolic link to ${await fsp.readlink(candidate).catch(() => '?')}`, 'EDANGLING');
    }
    // It exists now but did not a moment ago: someone is changing the folder under us.
    throw new UnresolvablePathError(path, 'the path changed while it was being resolved', 'ECHANGED');
  } catch (err) {
    if (err instanceof UnresolvablePathError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return candidate;
    throw unresolvable(path, err);
  }
}

function unresolvable(path: string, err: unknown): UnresolvablePathError {
  const e = err as NodeJS.ErrnoException;
  return new UnresolvablePathError(path, e.code === 'ELOOP' ? 'too many levels of symbolic links' : (e.message ?? String(err)), e.code);
}
