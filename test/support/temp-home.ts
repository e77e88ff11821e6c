import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away CODEX_HOME for one test, with optional config.toml and auth.json. */
export class TempHome {
  readonly path: string;

  constructor(files: { config?: string; auth?: unknown } = {}) {
    this.path = mkdtempSync(join(tmpdir(), 'agentwire-test-'));
    if (files.config !== undefined) this.write('config.toml', files.config);
    if (files.auth !== undefined) this.write('auth.json', JSON.stringify(files.auth, null, 2));
  }

  write(relative: string, content: string): string {
    const file = join(this.path, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
