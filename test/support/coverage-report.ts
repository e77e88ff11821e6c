import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';

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
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    delete env.AGENTWIRE_TEST_COVERAGE;
    const report = spawnSync('npm', ['run', '--silent', 'coverage'], { stdio: 'inherit', env });
    if (report.status !== 0) {
      throw new Error(`coverage below the threshold in package.json (npm run coverage exited ${report.status ?? report.signal})`);
    }
  },
};
