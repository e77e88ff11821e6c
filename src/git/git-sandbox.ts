import { injectable } from 'tsyringe';
import type { SandboxProbe } from '../exec/sandbox';

/**
 * The bubblewrap check used by agentwire's own git commands (safe-git.ts), so they run in a
 * read-only sandbox where one works. Created on first use: the exec code pulls in child_process,
 * which start-up does not need, and most sessions never ask for a git diff.
 */
@injectable()
export class GitSandbox {
  private probe?: SandboxProbe;

  get(): SandboxProbe {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.probe ??= new (require('../exec/sandbox') as typeof import('../exec/sandbox')).SandboxProbe();
    return this.probe;
  }
}
