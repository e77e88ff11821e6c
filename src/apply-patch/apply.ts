/**
 * Writing a verified {@link PatchPlan} to disk, all or nothing.
 *
 * 0.29 applies hunk after hunk and stops at the first failure, leaving earlier hunks
 * applied (APPLY_PATCH.md §2, case `partial_failure_leaves_earlier_changes`). agentwire
 * instead leaves every file as it was when any part fails:
 *
 * 1. Check that no planned file changed since it was verified (otherwise the plan, and the
 *    backups it carries, would be stale and applying it would clobber someone's edit).
 * 2. Create missing parent folders, remembering which ones were new.
 * 3. Stage: write every new content to a uniquely named new file next to its target (data,
 *    mode, owner, fsync). Nothing the user can see has changed yet; a failure here removes
 *    the staged files and the new folders and reports that nothing was applied.
 * 4. Commit: rename each staged file onto its target (one atomic step per file), then
 *    remove the deleted files and move sources. If a step fails, every committed step is
 *    undone from the original bytes, modes and owners kept in memory since planning
 *    (restores are themselves atomic writes), and the new folders are removed.
 *
 * The remaining window, honestly: the commit phase is a sequence of per-file atomic
 * steps, not one atomic step. Another process can observe the half-applied state while it
 * runs (it takes a few renames), and if this process dies during it (SIGKILL, power loss)
 * the backups die with it, leaving some files new, some old, and possibly stray
 * `.name.agentwire-*.tmp` files. A restore can also fail (disk full, permissions changed
 * meanwhile); the error then names the files that could not be restored. Updated files get
 * a new inode, so hard links to them keep the old text, unlike 0.29's in-place write.
 *
 * Symbolic links (issue 18): the plan's paths are real paths, checked against the writable
 * roots before this runs. No call here follows a link in the last component: staged files are
 * created with O_CREAT|O_EXCL|O_NOFOLLOW, and rename/unlink act on the entry itself. A link
 * planted in a folder on the way after verification (by a command still running, or while an
 * approval was pending) is caught by re-resolving the folder right before each write, rename
 * and unlink: if its real path is no longer the planned one, the patch is rolled back. What
 * remains is the moment between that check and the system call; closing it would need
 * openat2(RESOLVE_NO_SYMLINKS) on folder handles, which Node does not offer.
 */
import { randomBytes } from 'crypto';
import { constants as fsConstants, promises as fsp } from 'fs';
import { basename, dirname, join } from 'path';
import { readRegularFile } from '../files/read-regular-file';
import { ioErrorText, PatchApplyError } from './errors';
import { MAX_PATCH_FILE_BYTES, type FileSnapshot, type PatchPlan, type PlannedFile } from './planner';

/** The file-system calls {@link applyPlan} makes; replaceable for fault-injection tests. */
export interface ApplyIo {
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Creates `path`, which must not exist (never through a link), and flushes it; see {@link writeNewFile}. */
  writeNewFile(path: string, data: Buffer, options: NewFileOptions): Promise<void>;
}

/** Permissions and owner of a file made by {@link writeNewFile}. */
export interface NewFileOptions {
  /** Exact permission bits; undefined lets the umask decide. */
  readonly mode?: number;
  readonly chown?: { readonly uid: number; readonly gid: number };
}

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** Replaces some file-system calls (tests inject failures this way). */
  readonly io?: Partial<ApplyIo>;
}

const defaultIo: ApplyIo = {
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  writeNewFile: (path, data, options) => writeNewFile(path, data, options),
};

const NEW_FILE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;

/**
 * Writes a file that must not exist yet. O_EXCL with O_CREAT refuses any existing entry,
 * a symbolic link included, and O_NOFOLLOW says so twice; write-file-atomic opens its
 * temporary file with plain `w`, which would follow a link planted under its name.
 */
export async function writeNewFile(path: string, data: Buffer, options: NewFileOptions = {}): Promise<void> {
  const handle = await fsp.open(path, NEW_FILE_FLAGS, options.mode ?? 0o666);
  try {
    await handle.writeFile(data);
    if (options.chown) {
      await handle.chown(options.chown.uid, options.chown.gid).catch((err: NodeJS.ErrnoException) => {
        // Only root may give a file away; keeping our own ownership is what a rewrite does.
        if (err.code !== 'EPERM' && err.code !== 'EINVAL') throw err;
      });
    }
    // After chown, which clears set-id bits.
    if (options.mode !== undefined) await handle.chmod(options.mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Throws unless `dir` still resolves to itself: it was a real path (no link on the way) when
 * the patch was verified, so any difference now means a link was planted since.
 */
async function assertRealFolder(dir: string): Promise<void> {
  const real = await fsp.realpath(dir);
  if (real !== dir) throw new Error(`${dir} now leads to ${real} through a symbolic link, changed after the patch was verified`);
}

function stagingName(target: string): string {
  // Truncated so a long file name plus our suffix stays under NAME_MAX.
  return join(dirname(target), `.${basename(target).slice(0, 120)}.agentwire-${randomBytes(6).toString('hex')}.tmp`);
}

interface Write {
  readonly file: PlannedFile;
  readonly target: string;
  readonly data: Buffer;
  staged: string | null;
  committed: boolean;
}

/**
 * Applies a plan from {@link planPatch}: either every file ends up as planned, or every
 * file is left as it was (see the module comment for the exact guarantees).
 *
 * @throws {PatchApplyError} when a planned file changed since planning, or writing failed;
 *   the message says whether everything was rolled back.
 */
export async function applyPlan(plan: PatchPlan, options: ApplyOptions = {}): Promise<void> {
  const io: ApplyIo = { ...defaultIo, ...options.io };
  await assertUnchanged(plan.files);

  const writes: Write[] = [];
  const deletes: Array<{ file: PlannedFile; before: FileSnapshot; done: boolean }> = [];
  for (const file of plan.files) {
    if (file.after !== null) {
      const data = Buffer.from(file.after, 'utf8');
      // Rewriting identical bytes would only bump mtimes and widen the commit window.
      if (file.before && file.before.bytes.equals(data)) continue;
      writes.push({ file, target: file.before?.realPath ?? file.path, data, staged: null, committed: false });
    } else if (file.before) {
      deletes.push({ file, before: file.before, done: false });
    }
  }

  const createdDirs: string[] = [];
  const rollback = async (cause: string): Promise<never> => {
    const unrestored: string[] = [];
    for (const d of [...deletes].reverse()) {
      if (!d.done) continue;
      try {
        await restore(io, d.file.path, d.before);
      } catch {
        unrestored.push(d.file.path);
      }
    }
    for (const w of [...writes].reverse()) {
      try {
        if (w.committed) {
          if (w.file.before) await restore(io, w.target, w.file.before);
          else {
            // A link planted since must not make the undo remove a same-named file elsewhere.
            await assertRealFolder(dirname(w.target));
            await io.unlink(w.target);
          }
        } else if (w.staged !== null) {
          await assertRealFolder(dirname(w.staged));
          await io.unlink(w.staged);
        }
      } catch {
        if (w.committed) unrestored.push(w.file.path);
      }
    }
    for (const dir of [...createdDirs].reverse()) {
      await assertRealFolder(dirname(dir))
        .then(() => fsp.rmdir(dir))
        .catch(() => undefined);
    }
    const outcome = unrestored.length === 0 ? 'no file was changed' : `these files could not be restored and may be left changed: ${unrestored.join(', ')}`;
    throw new PatchApplyError(`${cause}; ${outcome}`);
  };

  for (const w of writes) {
    try {
      await makeParents(dirname(w.target), createdDirs);
    } catch (err) {
      await rollback(`Failed to create parent directories for ${w.file.path}: ${ioErrorText(err)}`);
    }
  }

  for (const w of writes) {
    const staged = stagingName(w.target);
    try {
      await assertRealFolder(dirname(w.target));
    } catch (err) {
      await rollback(`Failed to write file ${w.file.path}: ${ioErrorText(err)}`);
    }
    try {
      const before = w.file.before;
      await io.writeNewFile(staged, w.data, {
        mode: w.file.mode,
        chown: before ? { uid: before.uid, gid: before.gid } : undefined,
      });
      w.staged = staged;
    } catch (err) {
      await fsp.unlink(staged).catch(() => undefined);
      await rollback(`Failed to write file ${w.file.path}: ${ioErrorText(err)}`);
    }
  }

  for (const w of writes) {
    try {
      await assertRealFolder(dirname(w.target));
      await io.rename(w.staged!, w.target);
      w.committed = true;
    } catch (err) {
      await rollback(`Failed to write file ${w.file.path}: ${ioErrorText(err)}`);
    }
  }

  for (const d of deletes) {
    try {
      await assertRealFolder(dirname(d.file.path));
      await io.unlink(d.file.path);
      d.done = true;
    } catch (err) {
      await rollback(`Failed to delete file ${d.file.path}: ${ioErrorText(err)}`);
    }
  }

  await syncDirs([...new Set([...writes.map((w) => dirname(w.target)), ...deletes.map((d) => dirname(d.file.path))])]);
}

async function assertUnchanged(files: readonly PlannedFile[]): Promise<void> {
  for (const file of files) {
    let now: Buffer | null | 'unreadable';
    try {
      // stat first: a missing file is a plain answer; the bounded read also refuses a FIFO
      // swapped in since verification, which a plain read would wait on for ever.
      await fsp.stat(file.path);
      now = await readRegularFile(file.path, { maxBytes: MAX_PATCH_FILE_BYTES }).catch(() => 'unreadable' as const);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      now = code === 'ENOENT' || code === 'ENOTDIR' ? null : 'unreadable';
    }
    const same = file.before === null ? now === null : Buffer.isBuffer(now) && now.equals(file.before.bytes);
    if (!same) {
      throw new PatchApplyError(`${file.path} changed after the patch was verified; no file was changed`);
    }
  }
}

/** Creates the missing ancestors of `dir` top-down, adding each one it made to `created` at once (so a failure half-way still lets the caller remove them). */
async function makeParents(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      await fsp.stat(d);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.unshift(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing) {
    try {
      // The folder it goes in was real when verified; a link planted there since would
      // have the new folder made elsewhere.
      await assertRealFolder(dirname(d));
      await fsp.mkdir(d);
      created.push(d);
    } catch (err) {
      // Someone else made it meanwhile: fine, but it is not ours to remove.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

async function restore(io: ApplyIo, path: string, before: FileSnapshot): Promise<void> {
  if (before.symlinkTarget !== null && path !== before.realPath) {
    // A deleted symlink comes back as the link it was, not as a copy of its target.
    await fsp.symlink(before.symlinkTarget, path);
    return;
  }
  await assertRealFolder(dirname(path));
  const staged = stagingName(path);
  try {
    await io.writeNewFile(staged, before.bytes, { mode: before.mode & 0o7777, chown: { uid: before.uid, gid: before.gid } });
    await io.rename(staged, path);
  } catch (err) {
    await fsp.unlink(staged).catch(() => undefined);
    throw err;
  }
}

// Renames and unlinks are durable only once their directory is flushed; best effort, since
// some file systems refuse fsync on a directory and the patch is applied either way.
async function syncDirs(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(dir, 'r');
      await handle.sync();
    } catch {
      // ignored, see above
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
}
