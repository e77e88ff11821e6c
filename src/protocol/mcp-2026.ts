import { Type } from 'class-transformer';
import { ResourceMethod } from './resources';
import { SchemaExtra, SchemaIs, STRING_OR_INTEGER } from './schema-meta';
import { MCP_LOG_LEVELS } from './values';
import { Equals, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from './validators';

/**
 * MCP 2026-07-28, the stateless ("modern") revision: the names, codes and shapes agentwire serves
 * and sends in that era, declared once (issue 11). Shapes follow `schema/2026-07-28/schema.json` of
 * modelcontextprotocol/modelcontextprotocol; the test suite validates every message agentwire
 * writes in this era against that file (test/fixtures/mcp-2026-07-28.schema.json).
 */

/** The modern revision: the only version a modern request may name. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** The handshake-era versions `initialize` accepts (WIRE.md §3.1); the last is also the answer to an unknown one. */
export const HANDSHAKE_PROTOCOL_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
export const LATEST_HANDSHAKE_VERSION = '2025-11-25';

/** Every version agentwire serves, newest first (`server/discover`, and `-32022` before the era is decided). */
export const ALL_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, ...[...HANDSHAKE_PROTOCOL_VERSIONS].reverse()];

/** Reserved `_meta` keys of the modern revision. */
export const MetaKey = {
  ProtocolVersion: 'io.modelcontextprotocol/protocolVersion',
  ClientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  ClientInfo: 'io.modelcontextprotocol/clientInfo',
  LogLevel: 'io.modelcontextprotocol/logLevel',
  ServerInfo: 'io.modelcontextprotocol/serverInfo',
  SubscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** Error codes the modern revision adds (`-32602` and `-32601` keep their JSON-RPC meaning). */
export const ModernErrorCode = {
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

/** Requests a modern client may send to agentwire. */
export const ModernMethod = {
  Discover: 'server/discover',
  ToolsList: 'tools/list',
  ToolsCall: 'tools/call',
  SubscriptionsListen: 'subscriptions/listen',
  // The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663).
  TasksGet: 'tasks/get',
  TasksUpdate: 'tasks/update',
  TasksCancel: 'tasks/cancel',
} as const;

/** Notifications agentwire may write in the modern era (and the client's cancel). */
export const ModernNotification = {
  Cancelled: 'notifications/cancelled',
  Progress: 'notifications/progress',
  SubscriptionsAcknowledged: 'notifications/subscriptions/acknowledged',
  ToolsListChanged: 'notifications/tools/list_changed',
  /** The tasks extension: a task's new state, on a listen stream whose filter named it. */
  Tasks: 'notifications/tasks',
} as const;

/** The resource requests of the modern era (conversations as resources; subscribing goes through subscriptions/listen). */
export const MODERN_RESOURCE_METHODS: readonly string[] = [ResourceMethod.List, ResourceMethod.TemplatesList, ResourceMethod.Read];

/** The only requests served in the modern era; anything else there is `-32601`. */
export const MODERN_METHODS: ReadonlySet<string> = new Set([...Object.values(ModernMethod), ...MODERN_RESOURCE_METHODS]);

/** Methods the revision removed (`changelog.mdx`); named so their `-32601` can say so. */
export const REMOVED_IN_MODERN: ReadonlySet<string> = new Set(['ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'tasks/result', 'tasks/list']);

/** Results that carry the cache hints `ttlMs` and `cacheScope` (`caching.mdx`, schema: CacheableResult). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  ModernMethod.Discover,
  ModernMethod.ToolsList,
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** The eight log levels (`logging.mdx`), for checking `io.modelcontextprotocol/logLevel`. */
export const LOG_LEVELS: readonly string[] = MCP_LOG_LEVELS;

/** The elicitation input kind (`mrtr.mdx`: only these three methods may appear in `inputRequests`). */
export const ELICITATION_CREATE = 'elicitation/create';

const SUBSCRIPTION_META = {
  type: 'object',
  properties: { 'io.modelcontextprotocol/subscriptionId': STRING_OR_INTEGER },
  required: ['io.modelcontextprotocol/subscriptionId'],
};

// ---- results -------------------------------------------------------------------------------

export type ResultType = 'complete' | 'input_required';
export type CacheScope = 'public' | 'private';

/** schema: Implementation. */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
}

/** schema: ResultMetaObject (with the subscription id of a listen result). */
export interface ResultMeta {
  [MetaKey.ServerInfo]?: Implementation;
  [MetaKey.SubscriptionId]?: string | number;
  [key: string]: unknown;
}

/** schema: Result. */
export interface ModernResult {
  resultType: ResultType;
  _meta?: ResultMeta;
  [key: string]: unknown;
}

/** schema: CacheableResult. */
export interface CacheHints {
  ttlMs: number;
  cacheScope: CacheScope;
}

/** schema: ServerCapabilities (the parts agentwire uses). */
export interface ModernServerCapabilities {
  tools?: { listChanged?: boolean };
  /** `subscribe`: resourceSubscriptions through subscriptions/listen. */
  resources?: { subscribe?: boolean; listChanged?: boolean };
  extensions?: Record<string, Record<string, unknown>>;
}

/** schema: DiscoverResult. */
export class DiscoverResult implements CacheHints {
  @Equals('complete') resultType!: 'complete';
  @IsArray() @IsString({ each: true }) supportedVersions!: string[];
  @IsObject() capabilities!: ModernServerCapabilities;
  @IsOptional() @IsString() instructions?: string;
  @IsInt() @Min(0) ttlMs!: number;
  @IsIn(['public', 'private']) cacheScope!: CacheScope;
}

/** schema: TitledSingleSelectEnumSchema (the one form field agentwire asks for). */
export interface TitledSingleSelect {
  type: 'string';
  title?: string;
  description?: string;
  oneOf: Array<{ const: string; title: string }>;
  default?: string;
}

/** schema: ElicitRequestFormParams; extra `codex_*` members are allowed (the params object is open). */
export interface ElicitFormParams {
  mode: 'form';
  message: string;
  requestedSchema: { type: 'object'; properties: Record<string, TitledSingleSelect>; required?: string[] };
  [extra: `codex_${string}`]: unknown;
}

/** schema: ElicitRequest, as an entry of `inputRequests` (no id, no jsonrpc). */
export interface ElicitInputRequest {
  method: typeof ELICITATION_CREATE;
  params: ElicitFormParams;
}

/** schema: InputRequiredResult. */
export class InputRequiredResult {
  @Equals('input_required') resultType!: 'input_required';
  @SchemaExtra({ additionalProperties: { type: 'object', properties: { method: { const: ELICITATION_CREATE }, params: { type: 'object' } }, required: ['method', 'params'] } })
  @IsOptional()
  @IsObject()
  inputRequests?: Record<string, ElicitInputRequest>;
  @IsOptional() @IsString() requestState?: string;
}

/** schema: ElicitResult, as the client sends it back in `inputResponses`. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
}

/** schema: SubscriptionsAcknowledgedNotificationParams. */
export class SubscriptionsAcknowledgedParams {
  @SchemaIs(SUBSCRIPTION_META, { required: true }) _meta!: { [MetaKey.SubscriptionId]: string | number };
  @IsObject() notifications!: { toolsListChanged?: boolean; resourcesListChanged?: boolean; resourceSubscriptions?: string[]; taskIds?: string[] };
}

/** `notifications/tools/list_changed` on a listen stream: tagged with the listen request's id. */
export class ToolsListChangedParams {
  @SchemaIs(SUBSCRIPTION_META) @IsOptional() _meta?: { [MetaKey.SubscriptionId]: string | number };
}

// ---- params --------------------------------------------------------------------------------

/** schema: SubscriptionFilter. Every member is opt-in; agentwire honours `toolsListChanged`. */
export class SubscriptionFilterParams {
  @IsOptional() @IsBoolean() toolsListChanged?: boolean;
  @IsOptional() @IsBoolean() promptsListChanged?: boolean;
  @IsOptional() @IsBoolean() resourcesListChanged?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) resourceSubscriptions?: string[];
  /** The tasks extension: `notifications/tasks` for these tasks. */
  @IsOptional() @IsArray() @IsString({ each: true }) taskIds?: string[];
}

/** schema: SubscriptionsListenRequestParams. */
export class SubscriptionsListenParams {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => SubscriptionFilterParams) notifications!: SubscriptionFilterParams;
}

/**
 * schema: CallToolRequestParams. One class for both eras: `inputResponses` and `requestState` (a
 * multi round-trip retry, `mrtr.mdx`) mean something only in the modern era.
 */
export class CallToolRequestParams {
  @IsString() name!: string;
  @IsOptional() @IsObject() arguments?: Record<string, unknown>;
  @IsOptional() @IsObject() inputResponses?: Record<string, unknown>;
  @IsOptional() @IsString() requestState?: string;
  /** 2025-11-25 task augmentation (`TaskAugmentedRequestParams`); `ttl` is checked where it is used. */
  @IsOptional() @IsObject() task?: { ttl?: unknown };
}
