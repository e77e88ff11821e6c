import { isRecord } from '../protocol/is-record';
import { ConfigDerivationError } from './derivation-error';
import type { ConfigTree } from './overrides';
import type { ProviderInfo } from './provider-info';

/** Id of the provider used when no `model_provider` is configured (CONFIG.md §2). */
export const DEFAULT_PROVIDER_ID = 'openai';

/** Id of agentwire's bundled provider that answers in-process and never touches the network. */
export const DEMO_PROVIDER_ID = 'agentwire-demo';

/** Ids that a `[model_providers.<id>]` entry cannot replace (CONFIG.md §3, measured for `openai`). */
export const BUILT_IN_PROVIDER_IDS: readonly string[] = [DEFAULT_PROVIDER_ID, 'oss', DEMO_PROVIDER_ID];

const DEFAULT_REQUEST_MAX_RETRIES = 4;
const DEFAULT_STREAM_MAX_RETRIES = 5;
const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** codex clamps both retry counts here so a typo cannot make a turn retry for hours. */
const MAX_RETRIES_CAP = 100;
const DEFAULT_OSS_PORT = 11434;

/**
 * The built-in providers as they look in the given environment. The environment is read on
 * every call because `OPENAI_BASE_URL` and `CODEX_OSS_*` may differ between tests and embedders.
 */
export function builtInProviders(env: NodeJS.ProcessEnv = process.env): Record<string, ProviderInfo> {
  const common = {
    queryParams: {},
    httpHeaders: {},
    envHttpHeaders: {},
    requestMaxRetries: DEFAULT_REQUEST_MAX_RETRIES,
    streamMaxRetries: DEFAULT_STREAM_MAX_RETRIES,
    streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  };
  return {
    openai: {
      ...common,
      id: 'openai',
      name: 'OpenAI',
      baseUrl: stripTrailingSlash(nonBlank(env.OPENAI_BASE_URL) ?? 'https://api.openai.com/v1'),
      wireApi: 'responses',
      requiresOpenaiAuth: true,
      // Sent only when the variables are set (CONFIG.md §3, measured).
      envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
    },
    oss: {
      ...common,
      id: 'oss',
      name: 'gpt-oss',
      baseUrl: stripTrailingSlash(nonBlank(env.CODEX_OSS_BASE_URL) ?? `http://localhost:${nonBlank(env.CODEX_OSS_PORT) ?? DEFAULT_OSS_PORT}/v1`),
      wireApi: 'chat',
      requiresOpenaiAuth: false,
    },
    [DEMO_PROVIDER_ID]: {
      ...common,
      id: DEMO_PROVIDER_ID,
      name: 'agentwire offline demo',
      baseUrl: 'offline:',
      wireApi: 'chat',
      requiresOpenaiAuth: false,
      offline: true,
    },
  };
}

/** Whether `id` names a provider, built in or under `[model_providers]` of `tree`. */
export function providerExists(id: string, tree: ConfigTree): boolean {
  if (BUILT_IN_PROVIDER_IDS.includes(id)) return true;
  const table = tree.model_providers;
  return isRecord(table) && Object.prototype.hasOwnProperty.call(table, id) && isRecord(table[id]);
}

/**
 * The provider `id` as a conversation uses it. Built-ins win over a user entry with the same id;
 * a user entry's snake_case keys are mapped to ProviderInfo with codex's defaults.
 *
 * @throws ConfigDerivationError `model provider \`<id>\` not found`, or when an entry has a value
 *   of the wrong type.
 */
export function resolveProvider(id: string, tree: ConfigTree, env: NodeJS.ProcessEnv = process.env): ProviderInfo {
  if (BUILT_IN_PROVIDER_IDS.includes(id)) return builtInProviders(env)[id];
  const table = tree.model_providers;
  const entry = isRecord(table) && Object.prototype.hasOwnProperty.call(table, id) ? table[id] : undefined;
  if (!isRecord(entry)) throw new ConfigDerivationError(`model provider \`${id}\` not found`);
  return providerFromEntry(id, entry);
}

/**
 * Maps one `[model_providers.<id>]` table to ProviderInfo.
 *
 * @throws ConfigDerivationError naming the field when a value has the wrong type.
 */
export function providerFromEntry(id: string, entry: Record<string, unknown>): ProviderInfo {
  const field = new EntryReader(`model_providers.${id}`, entry);
  const wireApi = field.string('wire_api') ?? 'chat';
  if (wireApi !== 'chat' && wireApi !== 'responses') {
    throw new ConfigDerivationError(`invalid value for \`model_providers.${id}.wire_api\`: expected one of chat, responses (got ${JSON.stringify(wireApi)})`);
  }
  const info: ProviderInfo = {
    id,
    // codex requires `name`; agentwire lets it default to the id rather than refuse the entry.
    name: field.string('name') ?? id,
    baseUrl: stripTrailingSlash(field.string('base_url') ?? ''),
    wireApi,
    requiresOpenaiAuth: field.boolean('requires_openai_auth') ?? false,
    queryParams: field.stringMap('query_params'),
    httpHeaders: field.stringMap('http_headers'),
    envHttpHeaders: field.stringMap('env_http_headers'),
    requestMaxRetries: Math.min(field.count('request_max_retries') ?? DEFAULT_REQUEST_MAX_RETRIES, MAX_RETRIES_CAP),
    streamMaxRetries: Math.min(field.count('stream_max_retries') ?? DEFAULT_STREAM_MAX_RETRIES, MAX_RETRIES_CAP),
    streamIdleTimeoutMs: field.count('stream_idle_timeout_ms') ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  };
  const envKey = field.string('env_key');
  if (envKey !== undefined) info.envKey = envKey;
  const instructions = field.string('env_key_instructions');
  if (instructions !== undefined) info.envKeyInstructions = instructions;
  return info;
}

/** Typed reads from one TOML table, failing with the full dotted key of the bad field. */
class EntryReader {
  constructor(
    private readonly prefix: string,
    private readonly entry: Record<string, unknown>,
  ) {}

  string(key: string): string | undefined {
    return this.read(key, (v): v is string => typeof v === 'string', 'a string');
  }

  boolean(key: string): boolean | undefined {
    return this.read(key, (v): v is boolean => typeof v === 'boolean', 'a boolean');
  }

  count(key: string): number | undefined {
    return this.read(key, (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0, 'a non-negative integer');
  }

  stringMap(key: string): Record<string, string> {
    const isStringMap = (v: unknown): v is Record<string, string> => isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
    return { ...(this.read(key, isStringMap, 'a table of strings') ?? {}) };
  }

  private read<T>(key: string, ok: (v: unknown) => v is T, expected: string): T | undefined {
    const value = this.entry[key];
    if (value === undefined || value === null) return undefined;
    if (!ok(value)) {
      throw new ConfigDerivationError(`invalid value for \`${this.prefix}.${key}\`: expected ${expected} (got ${JSON.stringify(value)})`);
    }
    return value;
  }
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
