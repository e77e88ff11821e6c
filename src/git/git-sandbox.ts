import { inject, injectable } from 'tsyringe';
import type { SandboxProbe } from '../exec/sandbox';
import { SANDBOX_PROBE } from '../exec/sandbox-probe';

/**
 * The bubblewrap check used by agentwire's own git commands (safe-git.ts), so they run in a
 * read-only sandbox where one works: the process's one SandboxProbe, built on first use (the exec
 * code pulls in child_process, which start-up does not need, and most sessions never ask for a
 * git diff).
 */
@injectable()
export class GitSandbox {
  constructor(@inject(SANDBOX_PROBE) private readonly probe: () => SandboxProbe) {}

  get(): SandboxProbe {
    return this.probe();
  }
}
