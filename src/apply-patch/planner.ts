import { promises as fsp } from 'fs';
import { dirname, isAbsolute, join, relative, resolve } from 'path';
import { readRegularFile } from '../files/read-regular-file';
import type { FileChange } from '../protocol/file-change';
import { INVALID_UTF8_TEXT, ioErrorText, PatchApplyError, rustDebugList } from './errors';
import { applyChunks } from './matching';
import type { ParsedPatch } from './parser';
import { resolveRealPath, UnresolvablePathError } from './real-path';
import { unifiedHunks } from './unified-diff';

/** A file as it was on disk when the patch was planned. */
export interface FileSnapshot {
  /** The exact bytes, kept to check for later edits and to restore on failure. */
  readonly bytes: Buffer;
  /** `stat().mode` (symlinks followed). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Where writes really land: the path with symlinks resolved. */
  readonly realPath: string;
  /** Set when the path itself is a symlink (a Delete removes the link, not its target). */
  readonly symlinkTarget: string | null;
}

/** The net effect of the whole patch on one path. */
export interface PlannedFile {
  /**
   * Absolute real path: every existing folder on the way resolved through symbolic links
   * (real-path.ts). For a written file the final component is resolved too (the write
   * lands in the link's target); for a removed one it is the entry itself (a Delete removes a
   * link, not its target).
   */
  readonly path: string;
  /** The file before the patch, or null if it did not exist. */
  readonly before: FileSnapshot | null;
  /** The text after the patch, or null if the file will not exist. */
  readonly after: string | null;
  /** Permission bits for the written file; undefined lets the umask decide (new files). */
  readonly mode: number | undefined;
}

/**
 * One hunk of the patch, resolved, in patch order. `path` and `movePath` are real paths as in
 * {@link PlannedFile} (for a move, `path` is the removed source entry); `patchPath` and
 * `patchMovePath` are the texts of the patch.
 */
export type PlannedOperation =
  | { readonly kind: 'add'; readonly path: string; readonly patchPath: string; readonly content: string }
  | { readonly kind: 'delete'; readonly path: string; readonly patchPath: string }
  | {
      readonly kind: 'update';
      readonly path: string;
      readonly patchPath: string;
      readonly content: string;
      /** Absolute move destination, or null. */
      readonly movePath: string | null;
      readonly patchMovePath: string | null;
    };

/** Everything needed to ask for approval and then apply a verified patch. */
export interface PatchPlan {
  /** The directory relative paths were resolved against. */
  readonly cwd: string;
  readonly operations: readonly PlannedOperation[];
  /** Net per-path outcome, in first-touched order; what {@link applyPlan} executes. */
  readonly files: readonly PlannedFile[];
  /** The FileChange map of approval requests and patch_apply_begin (WIRE.md §7). */
  readonly changes: Record<string, FileChange>;
  /**
   * Every added, deleted, updated and move-target path as a real path (symbolic links
   * resolved, see {@link PlannedFile.path}), deduplicated: what the writable-roots decision
   * must be taken on.
   */
  readonly affectedPaths: readonly string[];
  /** The same paths as the patch names them: absolute and lexically normalised, links not followed. */
  readonly requestedPaths: readonly string[];
  /** The success output: `Success. Updated the following files:\n` and A/M/D lines. */
  readonly stdout: string;
}

type DiskState =
  { readonly kind: 'file'; readonly snapshot: FileSnapshot } | { readonly kind: 'dir' } | { readonly kind: 'none' } | { readonly kind: 'unreadable'; readonly error: unknown };

interface VirtualFile {
  readonly text: string;
  readonly mode: number | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The largest file a patch reads (to update, delete, overwrite or move). 0.29 has no limit, but the
 * model can make a huge sparse file in the project with one sandboxed command (`truncate -s 200M`),
 * and a patch on it held hundreds of MB, took minutes to match, and put text into events too long
 * to serialise. Source files a patch edits are far smaller.
 */
export const MAX_PATCH_FILE_BYTES = 10 * 1024 * 1024;

async function readDiskState(path: string): Promise<DiskState> {
  let symlinkTarget: string | null = null;
  try {
    const link = await fsp.lstat(path);
    if (link.isSymbolicLink()) symlinkTarget = await fsp.readlink(path);
  } catch (err) {
    if (isMissing(err)) return { kind: 'none' };
    return { kind: 'unreadable', error: err };
  }
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) return { kind: 'dir' };
    if (!st.isFile()) {
      // Reading a FIFO would hang; devices and sockets are not patchable text either.
      return { kind: 'unreadable', error: Object.assign(new Error('not a regular file'), { code: 'EINVAL' }) };
    }
    if (st.size > MAX_PATCH_FILE_BYTES) {
      return { kind: 'unreadable', error: new Error(`file is ${st.size} bytes, larger than the ${MAX_PATCH_FILE_BYTES} bytes a patch may change`) };
    }
    const realPath = symlinkTarget === null ? path : await fsp.realpath(path);
    // Bounded, and refusing a FIFO swapped in since the stat above (a plain read would wait for ever).
    // Its refusals carry no errno code, so they are reported as `unreadable` with their message.
    const bytes = await readRegularFile(path, { maxBytes: MAX_PATCH_FILE_BYTES });
    return { kind: 'file', snapshot: { bytes, mode: st.mode, uid: st.uid, gid: st.gid, realPath, symlinkTarget } };
  } catch (err) {
    // A dangling symlink: nothing to read, a write would create the file.
    if (isMissing(err)) return { kind: 'none' };
    return { kind: 'unreadable', error: err };
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The file system as the patch sees it hunk after hunk: disk state overlaid with what earlier
 * hunks wrote, deleted or implied (parent folders), so a patch that adds a file and then
 * updates it is verified exactly as the sequential standalone tool would apply it.
 */
class VirtualFs {
  private readonly disk = new Map<string, DiskState>();
  private readonly files = new Map<string, VirtualFile | null>();
  private readonly dirs = new Set<string>();
  /** Paths in the order the patch first touched them. */
  readonly touched: string[] = [];

  async diskState(path: string): Promise<DiskState> {
    let state = this.disk.get(path);
    if (!state) {
      state = await readDiskState(path);
      this.disk.set(path, state);
    }
    return state;
  }

  private touch(path: string): void {
    if (!this.files.has(path)) this.touched.push(path);
  }

  async kind(path: string): Promise<'file' | 'dir' | 'none' | 'unreadable'> {
    if (this.files.has(path)) return this.files.get(path) ? 'file' : 'none';
    if (this.dirs.has(path)) return 'dir';
    return (await this.diskState(path)).kind;
  }

  /** The current text of a file (undefined if absent), or a read/decoding error. */
  async read(path: string, lossy: boolean): Promise<{ text: string; mode: number | undefined } | { error: string } | undefined> {
    if (this.files.has(path)) {
      const entry = this.files.get(path);
      return entry ? { text: entry.text, mode: entry.mode } : undefined;
    }
    if (this.dirs.has(path)) return { error: ioErrorText({ code: 'EISDIR' }) };
    const state = await this.diskState(path);
    switch (state.kind) {
      case 'none':
        return undefined;
      case 'dir':
        return { error: ioErrorText({ code: 'EISDIR' }) };
      case 'unreadable':
        return { error: ioErrorText(state.error) };
      case 'file':
        try {
          const text = (lossy ? utf8Lossy : utf8).decode(state.snapshot.bytes);
          return { text, mode: state.snapshot.mode & 0o7777 };
        } catch {
          return { error: INVALID_UTF8_TEXT };
        }
    }
  }

  write(path: string, text: string, mode: number | undefined): void {
    this.touch(path);
    this.files.set(path, { text, mode });
  }

  remove(path: string): void {
    this.touch(path);
    this.files.set(path, null);
  }

  /** Records the parents a write would create; false if one of them is a file. */
  async makeParents(path: string): Promise<boolean> {
    const chain: string[] = [];
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      chain.unshift(dir);
      if (dirname(dir) === dir) break;
    }
    for (const dir of chain) {
      const kind = await this.kind(dir);
      if (kind === 'file' || kind === 'unreadable') return false;
      if (kind === 'none') this.dirs.add(dir);
    }
    return true;
  }

  async plannedFiles(): Promise<PlannedFile[]> {
    const out: PlannedFile[] = [];
    for (const path of this.touched) {
      const state = await this.diskState(path);
      const entry = this.files.get(path) ?? null;
      out.push({
        path,
        before: state.kind === 'file' ? state.snapshot : null,
        after: entry ? entry.text : null,
        mode: entry ? entry.mode : undefined,
      });
    }
    return out;
  }
}

/**
 * Verifies a parsed patch against the files under `cwd` and computes its full effect in
 * memory, without touching the disk (APPLY_PATCH.md §2). Hunks are applied in order to a
 * virtual view of the file system, so later hunks see earlier ones.
 *
 * @param cwd absolute directory that relative patch paths are resolved against.
 * @throws {PatchApplyError} with 0.29's standalone text (patch paths) and model-facing text
 *   (absolute paths), e.g. `Failed to find expected lines ["zzz"] in f.txt` /
 *   `Failed to find expected lines ["zzz"] in /abs/work/f.txt`.
 */
export async function planPatch(patch: ParsedPatch, cwd: string): Promise<PatchPlan> {
  if (patch.hunks.length === 0) throw new PatchApplyError('No files were modified.');
  const root = resolve(cwd);
  const realRoot = await resolveRealPath(root, { followFinal: true }).catch(() => root);
  // The key of `changes` (what approvals and patch_apply_begin show): the real path, written
  // through the cwd as the client knows it when it lies in the real cwd, so `link/x.txt` with
  // `link -> /elsewhere` shows `/elsewhere/x.txt` and never the harmless-looking in-project name.
  const shown = (real: string): string => {
    const rel = relative(realRoot, real);
    const inside = rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
    return inside ? join(root, rel) : real;
  };
  const vfs = new VirtualFs();
  const operations: PlannedOperation[] = [];
  const changes: Record<string, FileChange> = {};
  const affected = new Set<string>();
  const requested = new Set<string>();
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];

  const fail = (standalone: string, model: string): never => {
    throw new PatchApplyError(standalone, model);
  };
  /** The real path of `abs` (see {@link resolveRealPath}); a dangling link or a loop fails the patch. */
  const realOf = async (abs: string, patchPath: string, followFinal: boolean, verb: string): Promise<string> => {
    try {
      const real = await resolveRealPath(abs, { followFinal });
      affected.add(real);
      return real;
    } catch (err) {
      if (!(err instanceof UnresolvablePathError)) throw err;
      return fail(`Failed to ${verb} file ${patchPath}: ${err.reason}`, `Failed to ${verb} file ${abs}: ${err.reason}`);
    }
  };
  const prepareWrite = async (real: string, abs: string, patchPath: string): Promise<void> => {
    if (!(await vfs.makeParents(real))) {
      fail(`Failed to create parent directories for ${patchPath}`, `Failed to create parent directories for ${abs}`);
    }
    const kind = await vfs.kind(real);
    if (kind === 'dir' || kind === 'unreadable') fail(`Failed to write file ${patchPath}`, `Failed to write file ${abs}`);
  };

  // The virtual file system is keyed by real paths, so two names of one file (through a
  // link) are one file, and every check and write below is about where bytes really land.
  for (const hunk of patch.hunks) {
    const abs = resolve(root, hunk.path);
    requested.add(abs);
    switch (hunk.kind) {
      case 'add': {
        const real = await realOf(abs, hunk.path, true, 'write');
        await prepareWrite(real, abs, hunk.path);
        // Overwriting keeps the old file's permissions, as an in-place write would.
        const existing = await vfs.read(real, true);
        const mode = existing && 'text' in existing ? existing.mode : undefined;
        vfs.write(real, hunk.contents, mode);
        changes[shown(real)] = { add: { content: hunk.contents } };
        operations.push({ kind: 'add', path: real, patchPath: hunk.path, content: hunk.contents });
        added.push(hunk.path);
        break;
      }
      case 'delete': {
        const real = await realOf(abs, hunk.path, false, 'delete');
        const current = await vfs.read(real, true);
        if (!current || !('text' in current)) {
          // 0.29 reads a file to delete while verifying, so the model sees the read error.
          const reason = current ? current.error : ioErrorText({ code: 'ENOENT' });
          fail(`Failed to delete file ${hunk.path}`, `Failed to read ${abs}: ${reason}`);
        } else {
          vfs.remove(real);
          changes[shown(real)] = { delete: { content: current.text } };
          operations.push({ kind: 'delete', path: real, patchPath: hunk.path });
          deleted.push(hunk.path);
        }
        break;
      }
      case 'update': {
        const real = await realOf(abs, hunk.path, true, 'write');
        const current = await vfs.read(real, false);
        if (!current || !('text' in current)) {
          const reason = current ? current.error : ioErrorText({ code: 'ENOENT' });
          fail(`Failed to read file to update ${hunk.path}: ${reason}`, `Failed to read file to update ${abs}: ${reason}`);
          break;
        }
        const result = applyChunks(current.text, hunk.chunks);
        if (!result.ok) {
          const f = result.failure;
          const what = f.kind === 'context' ? `Failed to find context '${f.context}' in` : `Failed to find expected lines ${rustDebugList(f.lines)} in`;
          fail(`${what} ${hunk.path}`, `${what} ${abs}`);
          break;
        }
        const destAbs = hunk.movePath === null ? null : resolve(root, hunk.movePath);
        if (destAbs !== null) requested.add(destAbs);
        const dest = destAbs === null ? null : await realOf(destAbs, hunk.movePath!, true, 'write');
        // A move onto itself would delete the file in 0.29 (write, then remove the source);
        // here it is a plain update.
        let source = real;
        if (dest !== null && dest !== real) {
          // The source entry goes away: a moved link is removed, its target is left alone.
          source = await realOf(abs, hunk.path, false, 'delete');
          await prepareWrite(dest, destAbs!, hunk.movePath!);
          vfs.write(dest, result.text, current.mode);
          vfs.remove(source);
        } else {
          vfs.write(real, result.text, current.mode);
        }
        changes[shown(source)] = { update: { unified_diff: unifiedHunks(current.text, result.text, 1), move_path: dest === null ? null : shown(dest) } };
        operations.push({
          kind: 'update',
          path: source,
          patchPath: hunk.path,
          content: result.text,
          movePath: dest,
          patchMovePath: hunk.movePath,
        });
        modified.push(hunk.movePath ?? hunk.path);
        break;
      }
    }
  }

  const stdout = 'Success. Updated the following files:\n' + [...added.map((p) => `A ${p}\n`), ...modified.map((p) => `M ${p}\n`), ...deleted.map((p) => `D ${p}\n`)].join('');
  return {
    cwd: root,
    operations,
    files: await vfs.plannedFiles(),
    changes,
    affectedPaths: [...affected],
    requestedPaths: [...requested],
    stdout,
  };
}
