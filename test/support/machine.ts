import { execFileSync } from 'node:child_process';
import { SandboxProbe } from '../../src/exec';

/** Whether `git` runs on this machine; tests that need it skip with a printed reason when it does not. */
export function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skips the running test or hook, with the printed reason, when bubblewrap cannot create a sandbox here. */
export async function skipWithoutSandbox(ctx: Mocha.Context): Promise<void> {
  const probe = await new SandboxProbe().probe();
  if (!probe.available) {
    console.log(`      skipped: bubblewrap cannot create a sandbox here (${probe.reason})`);
    ctx.skip();
  }
}
