import type { ExecFileException } from 'node:child_process';
import type { SandboxProbe } from '../exec/sandbox';

/*
 * Every git command agentwire runs on its own behalf (not the model's) goes through here. The
 * repository it runs in may have been written by the model: a sandboxed command can create a nested
 * repository and put anything in its .git/config, and gitDiffToRemote takes any cwd. Git runs
 * programs named in that config (core.fsmonitor, hooks, filter drivers, external diff and textconv
 * drivers, the pager, transport and credential helpers), and agentwire's git runs outside the
 * model's sandbox, so each of those is switched off here, and the command also runs inside a
 * read-only, network-less bubblewrap sandbox when one is available, which contains anything git
 * might run that is not listed.
 */

/** What one git run gave back. A missing git or a failure is a non-zero code, never a throw. */
export interface GitResult {
  code: number;
  stdout: string;
}

/** Options of a {@link SafeGit} session. */
export interface SafeGitOptions {
  /** Aborting it kills the running git (and its sandbox). */
  signal: AbortSignal;
  /**
   * Checked before the run: when bubblewrap works, git runs in a read-only sandbox without network.
   * Without one (or when bwrap is unavailable) git still runs, with the config neutralised.
   */
  probe?: SandboxProbe;
  /** Largest stdout kept; more fails the run. */
  maxBuffer?: number;
}

/**
 * `-c` overrides put before every subcommand. They beat the repository's own config (command scope
 * is read last). `diff.external` is not overridden (an empty value would be run as a program);
 * `--no-ext-diff` on every diff and an unset `GIT_EXTERNAL_DIFF` cover it.
 */
export const NEUTRAL_CONFIG: readonly string[] = [
  // git 2.36+ reads false as "off"; older versions run a program named `false`, which is harmless.
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  // No transport at all, so a lazy fetch in a partial clone cannot run ssh, core.sshCommand,
  // a remote helper or a credential helper. agentwire's own git never fetches.
  'protocol.allow=never',
  'core.sshCommand=false',
  // An empty value empties the list of helpers.
  'credential.helper=',
  'core.askPass=',
];

/** Options that go before the subcommand. */
const GLOBAL_OPTIONS: readonly string[] = ['--no-pager', ...NEUTRAL_CONFIG.flatMap((c) => ['-c', c])];

/** Environment variables removed: each names a program git would run, or points git elsewhere. */
const DROPPED_ENV = ['GIT_EXTERNAL_DIFF', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT'];

/**
 * The environment for agentwire's git: the server's, without {@link DROPPED_ENV}, with no system
 * config, no pager, no prompts, no lazy fetches, no optional locks (so no index refresh is written),
 * and the given `-c`-like overrides as GIT_CONFIG_KEY_n/VALUE_n (which, unlike `-c`, need no parsing,
 * so any name is safe).
 */
export function safeGitEnv(overrides: ReadonlyArray<[string, string]> = [], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of DROPPED_ENV) delete env[name];
  for (const name of Object.keys(env)) if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(name)) delete env[name];
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
  });
  if (overrides.length > 0) {
    env.GIT_CONFIG_COUNT = String(overrides.length);
    overrides.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return env;
}

/**
 * The full git argv for `args`: the neutralising options first, and on `diff` (the only subcommand
 * that can run diff drivers) `--no-ext-diff --no-textconv` right after the subcommand.
 */
export function safeGitArgs(args: readonly string[]): string[] {
  const [sub, ...rest] = args;
  if (sub === undefined) return [...GLOBAL_OPTIONS];
  const extra = sub === 'diff' ? ['--no-ext-diff', '--no-textconv'] : [];
  return [...GLOBAL_OPTIONS, sub, ...extra, ...rest];
}

/**
 * Overrides that switch off every filter driver the repository's config defines (`filter.<name>.*`):
 * `.gitattributes` in the work tree picks a driver by name, and `git diff` against the work tree
 * runs its clean command. Driver names are only known by reading the config, which runs nothing.
 * Drivers set only in the user's global config (git-lfs, typically) are the user's and stay; a name
 * the repository's config (or anything it includes) touches at all is switched off.
 */
export async function filterOverrides(cwd: string, signal: AbortSignal): Promise<Array<[string, string]>> {
  const listed = await execGit(safeGitArgs(['config', '--show-scope', '-z', '--get-regexp', '^filter\\.']), cwd, signal, safeGitEnv());
  // -z --show-scope: `scope NUL key LF value NUL` per entry.
  const fields = listed.stdout.split('\0');
  const names = new Set<string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i];
    const key = fields[i + 1].split('\n', 1)[0];
    const lastDot = key.lastIndexOf('.');
    if (scope === 'global' || !key.startsWith('filter.') || lastDot <= 'filter.'.length) continue;
    names.add(key.slice('filter.'.length, lastDot));
  }
  return [...names].flatMap((name): Array<[string, string]> => [
    [`filter.${name}.clean`, ''],
    [`filter.${name}.smudge`, ''],
    [`filter.${name}.process`, ''],
    [`filter.${name}.required`, 'false'],
  ]);
}

/**
 * A git session for one folder: each run gets {@link safeGitArgs}, {@link safeGitEnv} with the
 * folder's filter drivers switched off, and the read-only sandbox when the probe says it works.
 */
export class SafeGit {
  private overrides?: Promise<Array<[string, string]>>;
  private sandboxArgv?: Promise<((argv: string[], cwd: string) => string[]) | undefined>;

  constructor(private readonly options: SafeGitOptions) {}

  async run(args: readonly string[], cwd: string): Promise<GitResult> {
    const { signal } = this.options;
    this.overrides ??= filterOverrides(cwd, signal);
    this.sandboxArgv ??= this.sandboxWrapper();
    const env = safeGitEnv(await this.overrides);
    const wrap = await this.sandboxArgv;
    const argv = ['git', ...safeGitArgs(args)];
    const final = wrap ? wrap(argv, cwd) : argv;
    return execGit(final.slice(1), cwd, signal, env, final[0], this.options.maxBuffer);
  }

  private async sandboxWrapper(): Promise<((argv: string[], cwd: string) => string[]) | undefined> {
    if (!this.options.probe) return undefined;
    const found = await this.options.probe.probe();
    if (!found.available) return undefined;
    // Loaded on first use, like the rest of the exec code.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    const { buildSandboxedArgv } = require('../exec/sandbox') as typeof import('../exec/sandbox');
    return (argv, cwd) => buildSandboxedArgv(argv, { mode: 'read-only' }, cwd, process.env, { bwrap: found.bwrapPath }).argv;
  }
}

/** Runs one program without a shell and collects stdout; a failure is a non-zero code. */
function execGit(args: string[], cwd: string, signal: AbortSignal, env: NodeJS.ProcessEnv, file = 'git', maxBuffer = 256 * 1024 * 1024): Promise<GitResult> {
  // Loaded on first use: child_process costs start-up time that most sessions never need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    execFile(file, args, { cwd, signal, maxBuffer, encoding: 'utf8', env, killSignal: 'SIGKILL' }, (err: ExecFileException | null, stdout: string) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout });
    });
  });
}
