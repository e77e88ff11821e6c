import { Type } from 'class-transformer';
import { ELICITATION_CREATE, MetaKey } from './mcp-2026-names';
import { SchemaExtra, SchemaIs, STRING_OR_INTEGER } from './schema-meta';
import { Equals, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from './validators';

/**
 * MCP 2026-07-28, the stateless ("modern") revision: the shapes agentwire serves and sends in that
 * era, declared once (issue 11); the versions, `_meta` keys, codes and method names are in
 * mcp-2026-names.ts, re-exported here. Shapes follow `schema/2026-07-28/schema.json` of
 * modelcontextprotocol/modelcontextprotocol; the test suite validates every message agentwire
 * writes in this era against that file (test/fixtures/mcp-2026-07-28.schema.json).
 */

export * from './mcp-2026-names';

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
