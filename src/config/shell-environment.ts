import type { ShellEnvironmentPolicy } from './conversation-settings';

/** The policy when `[shell_environment_policy]` is absent (CONFIG.md §2.2). */
export const DEFAULT_SHELL_ENVIRONMENT_POLICY: Readonly<ShellEnvironmentPolicy> = Object.freeze({
  inherit: 'all',
  ignoreDefaultExcludes: false,
  exclude: [],
  set: {},
  includeOnly: [],
});

/** The variables `inherit = "core"` keeps (measured: LANG and TERM are not among them). */
export const CORE_VARIABLES: readonly string[] = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'USERNAME', 'TMPDIR', 'TEMP', 'TMP'];

/** Names that look like credentials; dropped unless `ignore_default_excludes = true`. */
const DEFAULT_EXCLUDES: readonly string[] = ['*KEY*', '*SECRET*', '*TOKEN*'];

/**
 * The environment of a command the agent runs, built from the server's environment `base` in
 * the five steps of CONFIG.md §2.2: inherit, default excludes, `exclude`, `set`, `include_only`.
 * When the sandbox restricts the network, `CODEX_SANDBOX_NETWORK_DISABLED=1` is added last so
 * that scripts can tell, whatever the filters say.
 */
export function buildShellEnvironment(policy: ShellEnvironmentPolicy, base: NodeJS.ProcessEnv, opts: { networkDisabled: boolean }): Record<string, string> {
  // A Map, not an object, so that a variable called `__proto__` is just a name.
  const env = inherited(policy.inherit, base);
  if (!policy.ignoreDefaultExcludes) dropMatching(env, DEFAULT_EXCLUDES);
  dropMatching(env, policy.exclude);
  for (const [name, value] of Object.entries(policy.set)) env.set(name, value);
  if (policy.includeOnly.length > 0) {
    for (const name of [...env.keys()]) {
      if (!policy.includeOnly.some((p) => globMatches(p, name))) env.delete(name);
    }
  }
  if (opts.networkDisabled) env.set('CODEX_SANDBOX_NETWORK_DISABLED', '1');
  return Object.fromEntries(env);
}

function inherited(inherit: ShellEnvironmentPolicy['inherit'], base: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  if (inherit === 'none') return out;
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (inherit === 'core' && !CORE_VARIABLES.includes(name)) continue;
    out.set(name, value);
  }
  return out;
}

function dropMatching(env: Map<string, string>, patterns: readonly string[]): void {
  if (patterns.length === 0) return;
  for (const name of [...env.keys()]) {
    if (patterns.some((p) => globMatches(p, name))) env.delete(name);
  }
}

/**
 * Case-insensitive glob match of a variable name: `*` is any run of characters, `?` exactly one,
 * everything else literal. Hand-written because variable names are not paths (so
 * `path.matchesGlob`, which is missing from Node 20 anyway, would treat `/` specially) and the
 * two wildcards do not justify a glob library. Iterative with one backtrack point, so a pattern
 * like `*a*a*a*b` cannot blow up the way a naive recursive or regex translation can.
 */
export function globMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  let pi = 0;
  let si = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === '*') {
      starPi = pi++;
      starSi = si;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (starPi >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      pi = starPi + 1;
      si = ++starSi;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
