// Builds dist/ when it is missing or older than a source file, so `npm run demo` and
// `npm run bench` work on a fresh clone after `npm install` with no other step.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function ensureBuilt(root) {
  const out = join(root, 'dist', 'agentwire.cjs');
  const stale = !existsSync(out) || statSync(out).mtimeMs < Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
  if (stale) {
    process.stderr.write('building agentwire (npm run build)...\n');
    execSync('npm run build --silent', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
