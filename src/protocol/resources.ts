import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from './validators';

/**
 * Conversations as MCP resources (issue 14): the params classes and the result shapes, declared
 * once; the method and notification names and the URI scheme are in resource-uris.ts, re-exported
 * here. Shapes follow the MCP schema of 2025-06-18 / 2025-11-25 (`Resource`, `ResourceTemplate`,
 * `ReadResourceResult`).
 */

export * from './resource-uris';

/** `resources/list` params: an optional cursor. */
export class ListResourcesParams {
  @IsOptional() @IsString() cursor?: string;
}

/** `resources/templates/list` params: an optional cursor (there is one page). */
export class ListResourceTemplatesParams {
  @IsOptional() @IsString() cursor?: string;
}

/** `resources/read`, `resources/subscribe` and `resources/unsubscribe` params. */
export class ResourceUriParams {
  @IsString() uri!: string;
}

/** `addConversationListener` params: the conversation, and the last event number the client has (replay after it). */
export class AddConversationListenerParams {
  @IsUUID() conversationId!: string;
  @IsOptional() @IsInt() @Min(0) sinceSeq?: number;
}

/** MCP `Resource`. */
export class ResourceEntry {
  @IsString() uri!: string;
  @IsString() name!: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() mimeType?: string;
  @IsOptional() @IsObject() annotations?: { lastModified?: string };
}

/** MCP `ResourceTemplate`. */
export class ResourceTemplateEntry {
  @IsString() uriTemplate!: string;
  @IsString() name!: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() mimeType?: string;
}

/** MCP `TextResourceContents`. */
export class TextContents {
  @IsString() uri!: string;
  @IsString() mimeType!: string;
  @IsString() text!: string;
}

/** `resources/list` result (a modern one adds the cache hints `ttlMs`, `cacheScope`). */
export class ListResourcesResult {
  [member: string]: unknown;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ResourceEntry) resources!: ResourceEntry[];
  @IsOptional() @IsString() nextCursor?: string;
}

export class ListResourceTemplatesResult {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ResourceTemplateEntry) resourceTemplates!: ResourceTemplateEntry[];
}

/** `resources/read` result (a modern one adds the cache hints). */
export class ReadResourceResult {
  [member: string]: unknown;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TextContents) contents!: TextContents[];
}

/** `notifications/resources/updated` params (on a modern listen stream also its `_meta`). */
export class ResourceUpdatedParams {
  [member: string]: unknown;
  @IsString() uri!: string;
}

/** `notifications/resources/list_changed` params (on a modern listen stream, its `_meta`). */
export class ResourceListChangedParams {
  [member: string]: unknown;
}

/** `agentwire://conversations/{id}`: the JSON summary. */
export interface ConversationResourceSummary {
  id: string;
  /** The first user message (its first line, at most 120 characters); "" before one was sent. */
  title: string;
  model: string | null;
  cwd: string | null;
  /** ISO 8601, UTC. */
  created: string;
  /** The rollout's last change, ISO 8601, UTC. */
  updated: string;
  turnCount: number;
  status: 'running' | 'idle' | 'archived';
  /** The number of the conversation's last event (0 when none is recorded). */
  lastSeq: number;
}
