import type { InjectionToken } from 'tsyringe';
import type { SandboxProbe } from './sandbox';

/**
 * The process's one bubblewrap check (SANDBOX.md §5: checked once), built on first use: the
 * sandbox code pulls in child_process, which start-up does not need. The container picks its
 * lifetime; the shell tools and agentwire's git commands share it.
 */
export const SANDBOX_PROBE: InjectionToken<() => SandboxProbe> = Symbol.for('agentwire:SandboxProbe');
