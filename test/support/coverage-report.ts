import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

/**
 * Removes coverage files that are not whole JSON. Every process that inherits NODE_V8_COVERAGE
 * writes one as it exits, commands included (a test's `node -e ...` run by the shell tool), and a
 * command's process tree is SIGKILLed when its turn ends: one killed while writing leaves a cut
 * file, which c8 cannot read at all. Such a file is a command's, never agentwire's own (the server
 * ends on its own), so it is left out. Returns how many were.
 */
function dropCutCoverageFiles(dir: string): number {
  let dropped = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      rmSync(join(dir, name), { force: true });
      dropped++;
    }
  }
  return dropped;
}

// `npm test` runs mocha with NODE_V8_COVERAGE and AGENTWIRE_TEST_COVERAGE set: every process of
// the run (this one, and each server the e2e tests spawn) writes its V8 coverage there. This root
// hook, which mocha runs after the last test and before it prints its summary, writes this
// process's coverage, then runs `npm run coverage` (c8's report and threshold, configured in
// package.json and .c8rc.json). So the coverage summary comes before mocha's closing lines, and a
// figure below the threshold fails the run as a failing hook.
export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    if (!process.env.AGENTWIRE_TEST_COVERAGE || !process.env.NODE_V8_COVERAGE) return;
    this.timeout(300_000);
    v8.takeCoverage();
    const dropped = dropCutCoverageFiles(process.env.NODE_V8_COVERAGE);
    if (dropped > 0) process.stdout.write(`(${dropped} cut coverage file${dropped === 1 ? '' : 's'} of killed commands left out)\n`);
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    delete env.AGENTWIRE_TEST_COVERAGE;
    const report = spawnSync('npm', ['run', '--silent', 'coverage'], { stdio: 'inherit', env });
    if (report.status !== 0) {
      throw new Error(`coverage below the threshold in package.json (npm run coverage exited ${report.status ?? report.signal})`);
    }
  },
};
