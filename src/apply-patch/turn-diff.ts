import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import { isAbsolute, relative } from 'path';
import type { PatchPlan } from './planner';
import { unifiedHunks } from './unified-diff';

const ZERO_OID = '0000000000000000000000000000000000000000';
const DEV_NULL = '/dev/null';

interface Blob {
  readonly bytes: Buffer;
  /** Git's file mode string: `100644` or `100755`. */
  readonly mode: string;
}

/** Git's object id of a blob: sha1 over `blob <length>\0<content>`. */
export function gitBlobSha1(content: Buffer | string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function gitMode(mode: number): string {
  return mode & 0o111 ? '100755' : '100644';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function asText(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

async function readBlob(path: string): Promise<Blob | null> {
  try {
    const st = await fsp.stat(path);
    if (!st.isFile()) return null;
    return { bytes: await fsp.readFile(path), mode: gitMode(st.mode) };
  } catch {
    return null;
  }
}

/** Options of {@link TurnDiffTracker}. */
export interface TurnDiffOptions {
  /**
   * Paths under this folder are shown relative to it (0.29 shows paths relative to the git
   * repository root when there is one). Without it, absolute paths are shown, giving
   * `diff --git a//abs/f b//abs/f` as in the measured transcripts.
   */
  readonly displayRoot?: string;
}

/**
 * The cumulative diff of one turn's patches, as sent in `turn_diff` events (WIRE.md §7).
 *
 * Call {@link trackPatch} with each plan before applying it: the first time a path is
 * touched its pre-patch content is remembered as the baseline. {@link unifiedDiff} then
 * compares every baseline with what is on disk now, so the result is the net change of the
 * turn (a file changed and changed back drops out), rendered git-style with blob ids.
 */
export class TurnDiffTracker {
  private readonly baselines = new Map<string, Blob | null>();
  /** Current path → the path it was moved from, for files moved during the turn. */
  private readonly origins = new Map<string, string>();
  private readonly displayRoot: string | undefined;

  constructor(options: TurnDiffOptions = {}) {
    this.displayRoot = options.displayRoot;
  }

  /** Records the baselines (and moves) of a plan; call before {@link applyPlan}. */
  trackPatch(plan: PatchPlan): void {
    for (const file of plan.files) {
      if (this.baselines.has(file.path)) continue;
      this.baselines.set(file.path, file.before ? { bytes: file.before.bytes, mode: gitMode(file.before.mode) } : null);
    }
    for (const op of plan.operations) {
      if (op.kind === 'update' && op.movePath !== null && op.movePath !== op.path) {
        const origin = this.origins.get(op.path) ?? op.path;
        this.origins.delete(op.path);
        if (origin === op.movePath) this.origins.delete(op.movePath);
        else this.origins.set(op.movePath, origin);
      } else if (op.kind !== 'update') {
        // A file added or deleted in place of a moved one is no longer that file.
        this.origins.delete(op.path);
      }
    }
  }

  /** True until a patch was tracked. */
  get isEmpty(): boolean {
    return this.baselines.size === 0;
  }

  /**
   * The git-style diff of everything the turn's patches changed, sorted by path: per file
   * `diff --git`, `new file mode`/`deleted file mode` (or `old mode`/`new mode`), `index
   * <old blob>..<new blob>`, `---`/`+++` and hunks with 3 lines of context. '' when the
   * turn left no net change.
   */
  async unifiedDiff(): Promise<string> {
    const current = new Map<string, Blob | null>();
    for (const path of this.baselines.keys()) current.set(path, await readBlob(path));

    // A move renders as one diff from its origin to its destination, as long as the
    // origin is gone and the destination did not exist before the turn.
    const renameOf = new Map<string, string>();
    const renamedTo = new Set<string>();
    for (const [dest, origin] of this.origins) {
      if (this.baselines.get(origin) && this.baselines.get(dest) === null && current.get(origin) === null && current.get(dest)) {
        renameOf.set(origin, dest);
        renamedTo.add(dest);
      }
    }

    const paths = [...this.baselines.keys()].sort((a, b) => compare(this.display(a), this.display(b)));
    let out = '';
    for (const path of paths) {
      if (renamedTo.has(path)) continue;
      const dest = renameOf.get(path) ?? path;
      out += this.renderFile(path, this.baselines.get(path) ?? null, dest, current.get(dest) ?? null);
    }
    return out;
  }

  private display(path: string): string {
    if (this.displayRoot !== undefined) {
      const rel = relative(this.displayRoot, path);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
    }
    return path.split('\\').join('/');
  }

  private renderFile(leftPath: string, left: Blob | null, rightPath: string, right: Blob | null): string {
    if (left === null && right === null) return '';
    if (leftPath === rightPath && left && right && left.mode === right.mode && left.bytes.equals(right.bytes)) return '';

    const leftName = this.display(leftPath);
    const rightName = this.display(rightPath);
    let out = `diff --git a/${leftName} b/${rightName}\n`;
    if (left === null) out += `new file mode ${right!.mode}\n`;
    else if (right === null) out += `deleted file mode ${left.mode}\n`;
    else if (left.mode !== right.mode) out += `old mode ${left.mode}\nnew mode ${right.mode}\n`;
    out += `index ${left ? gitBlobSha1(left.bytes) : ZERO_OID}..${right ? gitBlobSha1(right.bytes) : ZERO_OID}\n`;

    const oldHeader = left ? `a/${leftName}` : DEV_NULL;
    const newHeader = right ? `b/${rightName}` : DEV_NULL;
    const oldText = left ? asText(left.bytes) : '';
    const newText = right ? asText(right.bytes) : '';
    if (oldText === undefined || newText === undefined) {
      return out + `Binary files ${oldHeader} and ${newHeader} differ\n`;
    }
    const hunks = unifiedHunks(oldText, newText, 3);
    // Like git, no ---/+++ lines when there is no hunk (an empty new file, a pure rename).
    if (hunks !== '') out += `--- ${oldHeader}\n+++ ${newHeader}\n${hunks}`;
    return out;
  }
}

// Code-unit order, which is Rust's byte order except around astral characters; not
// localeCompare, whose order depends on the machine's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
