import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * How an unsandboxed command is tied to the server:
 * - `pid-namespace`: bubblewrap with no file-system restriction (`--dev-bind / /`), a fresh pid
 *   namespace and `--die-with-parent`. When the server dies, even by SIGKILL, bwrap dies, the
 *   namespace's init goes with it and the kernel kills every process in the namespace, including
 *   those that called `setsid` or double-forked. Measured: the only variant that ends them all.
 * - `pdeathsig`: `setpriv --pdeathsig SIGKILL` (util-linux). Only the direct child gets the
 *   signal; its descendants survive a SIGKILLed server.
 * - `none`: plain spawn; nothing ends the command if the server is SIGKILLed.
 */
export type LifelineKind = 'pid-namespace' | 'pdeathsig' | 'none';

/** What {@link Lifeline.probe} found. */
export interface LifelinePlan {
  kind: LifelineKind;
  /** The wrapper binary for `pid-namespace` (bwrap) or `pdeathsig` (setpriv). */
  binary?: string;
}

export interface LifelineOptions {
  /** Told once, when the robust variant is not available (stderr only). */
  warn?: (message: string) => void;
  /** The PATH searched for bwrap and setpriv; the server's own PATH by default. */
  searchPath?: string;
  /** Limit for the trial run of bwrap. */
  timeoutMs?: number;
}

/** The bwrap arguments of the pid-namespace lifeline: the whole file system as it is, /proc of the new namespace. */
const NAMESPACE_ARGS = ['--dev-bind', '/', '/', '--proc', '/proc', '--unshare-pid', '--die-with-parent'];

/**
 * Makes unsandboxed commands die with the server (the sandboxed ones already do, inside their own
 * bwrap). Node has no `prctl`, so the parent-death signal or a pid namespace comes from a small
 * wrapper program; which one works here is found once, by a trial run, and cached.
 */
export class Lifeline {
  private pending?: Promise<LifelinePlan>;

  constructor(private readonly options: LifelineOptions = {}) {}

  /** Resolves to the variant used on this machine; never rejects. */
  probe(): Promise<LifelinePlan> {
    this.pending ??= this.choose();
    return this.pending;
  }

  /** argv wrapped in the lifeline, to be started in `cwd`. */
  async wrap(argv: string[], cwd: string): Promise<string[]> {
    const plan = await this.probe();
    if (plan.kind === 'pid-namespace') return [plan.binary!, ...NAMESPACE_ARGS, '--chdir', resolve(cwd), '--', ...argv];
    if (plan.kind === 'pdeathsig') return [plan.binary!, '--pdeathsig', 'SIGKILL', '--', ...argv];
    return [...argv];
  }

  /**
   * argv (the command host) run in one pid namespace of the lifeline, in `/`; undefined where the
   * lifeline is no pid namespace.
   */
  async hostCommand(argv: string[]): Promise<string[] | undefined> {
    return (await this.probe()).kind === 'pid-namespace' ? this.wrap(argv, '/') : undefined;
  }

  private async choose(): Promise<LifelinePlan> {
    const searchPath = this.options.searchPath ?? process.env.PATH ?? '';
    const bwrap = findOnPath('bwrap', searchPath);
    let why = 'bubblewrap (bwrap) is not installed';
    if (bwrap !== undefined) {
      const failure = await this.trial(bwrap);
      if (failure === undefined) return { kind: 'pid-namespace', binary: bwrap };
      why = `bubblewrap cannot create a pid namespace: ${failure}`;
    }
    const setpriv = findOnPath('setpriv', searchPath);
    if (setpriv !== undefined) {
      this.options.warn?.(`${why}; unsandboxed commands get a parent-death signal from setpriv, so after a SIGKILL of agentwire their own descendants may survive`);
      return { kind: 'pdeathsig', binary: setpriv };
    }
    this.options.warn?.(`${why} and setpriv is missing; unsandboxed commands survive a SIGKILL of agentwire`);
    return { kind: 'none' };
  }

  /** Runs /bin/true in the lifeline; undefined when it worked, else why not. */
  private trial(bwrap: string): Promise<string | undefined> {
    const timeout = this.options.timeoutMs ?? 10_000;
    return new Promise((done) => {
      // node:child_process is required on first use, not at start-up (it costs the first reply ~2 ms).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
      const { execFile } = require('node:child_process') as typeof import('node:child_process');
      execFile(bwrap, [...NAMESPACE_ARGS, '--', '/bin/true'], { timeout, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, _stdout, stderr) => {
        if (!error) done(undefined);
        else done(stderr.trim().split('\n')[0] || (error.killed ? `no answer within ${timeout} ms` : String(error.code ?? error.signal)));
      });
    });
  }
}

/**
 * The first executable regular file called `name` in an absolute PATH entry. Empty and relative entries are skipped:
 * they depend on the cwd, and a sandbox or lifeline binary must not.
 */
export function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
