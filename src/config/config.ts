import { join } from 'node:path';
import type { InjectionToken } from 'tsyringe';
import { isRecord } from '../protocol/is-record';
import { ConfigError, ConfigFileCache, lineOfKey, readConfigFile } from './config-file';
import { CHECKED_KEYS, type AuthMethod } from './config-schema';
import { applyOverrides, type ConfigTree } from './overrides';

/** Default of `max_running_tasks`. */
export const DEFAULT_MAX_RUNNING_TASKS = 8;

export interface ConfigSource {
  home: string;
  /** `-c` overrides from the command line, dotted key → value. */
  cliOverrides?: Record<string, unknown>;
}

/**
 * The configuration the server started with: `<home>/config.toml` with the `-c` overrides on top
 * (CONFIG.md §1). A container singleton; it never changes after start-up.
 */
/** Default `rollout_max_bytes`: far beyond any real conversation (a context window is a few MB of JSON). */
export const DEFAULT_ROLLOUT_MAX_BYTES = 64 * 1024 * 1024;

/** The `-c key=value` overrides given on the command line, parsed (dotted key → value). */
export const CLI_OVERRIDES: InjectionToken<Record<string, unknown>> = Symbol.for('agentwire:CliOverrides');

export class AgentwireConfig {
  readonly home: string;
  readonly path: string;
  /** The merged tree: config.toml, then `-c` overrides. */
  readonly tree: ConfigTree;
  readonly cliOverrides: Record<string, unknown>;
  /** config.toml as conversations re-read it, parsed again only when the file changed. */
  readonly fileCache = new ConfigFileCache();

  constructor(home: string, path: string, tree: ConfigTree, cliOverrides: Record<string, unknown>) {
    this.home = home;
    this.path = path;
    this.tree = tree;
    this.cliOverrides = cliOverrides;
  }

  /** Reads and checks config.toml; throws ConfigError naming the file, line and key. */
  static load(source: ConfigSource): AgentwireConfig {
    const path = join(source.home, 'config.toml');
    const { tree: fileTree, text } = readConfigFile(path);
    checkTree(fileTree, (key) => {
      const line = lineOfKey(text, key);
      return `${path}${line ? ` line ${line}` : ''}`;
    });
    const cliOverrides = source.cliOverrides ?? {};
    const tree = applyOverrides(fileTree, cliOverrides);
    checkTree(tree, () => 'a -c override');
    return new AgentwireConfig(source.home, path, tree, cliOverrides);
  }

  /** Builds a config from a tree already in memory (tests, embedding). */
  static fromTree(home: string, tree: ConfigTree): AgentwireConfig {
    checkTree(tree, () => 'the given config');
    return new AgentwireConfig(home, join(home, 'config.toml'), tree, {});
  }

  /** The value at a dotted key, or undefined. */
  get(key: string): unknown {
    let node: unknown = this.tree;
    for (const part of key.split('.')) {
      if (!isRecord(node)) return undefined;
      node = node[part];
    }
    return node;
  }

  get plugins(): string[] {
    return (this.get('plugins') as string[] | undefined) ?? [];
  }

  get logLevel(): unknown {
    return this.get('log_level');
  }

  get preferredAuthMethod(): AuthMethod {
    return (this.get('preferred_auth_method') as AuthMethod | undefined) ?? 'chatgpt';
  }

  /** How many `tools/call` tasks may run at once (issue 13); past it a task-augmented call is refused. */
  get maxRunningTasks(): number {
    return (this.get('max_running_tasks') as number | undefined) ?? DEFAULT_MAX_RUNNING_TASKS;
  }

  get approvalTimeoutMs(): number | undefined {
    return this.get('approval_timeout_ms') as number | undefined;
  }

  /** The largest rollout file resume, fork and codex-reply read (`rollout_max_bytes`, default 64 MiB). */
  get rolloutMaxBytes(): number {
    return (this.get('rollout_max_bytes') as number | undefined) ?? DEFAULT_ROLLOUT_MAX_BYTES;
  }

  /** How many of a live conversation's latest events stay in memory for replay (`event_replay_buffer`); undefined: the default. */
  get eventReplayBuffer(): number | undefined {
    return this.get('event_replay_buffer') as number | undefined;
  }
}

function checkTree(tree: ConfigTree, where: (key: string) => string): void {
  for (const [key, check] of Object.entries(CHECKED_KEYS)) {
    if (!(key in tree)) continue;
    const problem = check(tree[key]);
    if (problem) {
      // A table's check already names the field and value inside it.
      const got = isRecord(tree[key]) ? '' : ` (got ${JSON.stringify(tree[key])})`;
      throw new ConfigError(`invalid value for \`${key}\` in ${where(key)}: ${problem}${got}`);
    }
  }
}
