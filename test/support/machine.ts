import { execFileSync } from 'node:child_process';

/** Whether `git` runs on this machine; tests that need it skip with a printed reason when it does not. */
export function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
