import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

/**
 * A file of the codex 0.29 spec data kept in test/fixtures/spec (see the README there). The
 * compiled test runs from <outDir>/test/<area>, so the repository root is three levels up.
 */
export function specFixture(name: string): string {
  return join(__dirname, '..', '..', '..', 'test', 'fixtures', 'spec', name);
}

/** A throw-away folder, optionally seeded with files (paths relative to it). */
export class TempDir {
  readonly path: string;
  /** The folder made by mkdtemp (the parent of `path` when a sub folder was asked for). */
  readonly root: string;

  constructor(files: Record<string, string> = {}, sub?: string) {
    const root = mkdtempSync(join(tmpdir(), 'agentwire-patch-'));
    this.root = root;
    this.path = sub ? join(root, sub) : root;
    mkdirSync(this.path, { recursive: true });
    for (const [rel, content] of Object.entries(files)) this.write(rel, content);
  }

  write(rel: string, content: string): string {
    const abs = join(this.path, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return abs;
  }

  read(rel: string): string {
    return readFileSync(join(this.path, rel), 'utf8');
  }

  abs(rel: string): string {
    return join(this.path, rel);
  }

  /** Every file with its text, and every empty folder as `name/: null` (the cases' format). */
  listing(): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    const walk = (dir: string, prefix: string): void => {
      const entries = readdirSync(dir);
      if (entries.length === 0 && prefix !== '') out[prefix] = null;
      for (const entry of entries) {
        const abs = join(dir, entry);
        const rel = prefix + entry;
        if (statSync(abs).isDirectory()) walk(abs, rel + '/');
        else out[rel] = readFileSync(abs, 'utf8');
      }
    };
    walk(this.path, '');
    return out;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
