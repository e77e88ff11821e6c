import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from './validators';

/**
 * Conversations as MCP resources (issue 14): method and notification names, the URI scheme, the
 * params classes and the result shapes, declared once. Shapes follow the MCP schema of
 * 2025-06-18 / 2025-11-25 (`Resource`, `ResourceTemplate`, `ReadResourceResult`).
 */

export const ResourceMethod = {
  List: 'resources/list',
  TemplatesList: 'resources/templates/list',
  Read: 'resources/read',
  Subscribe: 'resources/subscribe',
  Unsubscribe: 'resources/unsubscribe',
} as const;

export const ResourceNotification = {
  Updated: 'notifications/resources/updated',
  ListChanged: 'notifications/resources/list_changed',
} as const;

/** The handshake era's code for an unknown resource (MCP's convention; the 2026-07-28 revision uses -32602). */
export const RESOURCE_NOT_FOUND = -32002;

export const CONVERSATION_URI_PREFIX = 'agentwire://conversations/';

/** What a conversation URI shows. */
export type ConversationView = 'summary' | 'transcript' | 'diff' | 'events';

export interface ConversationUri {
  conversationId: string;
  view: ConversationView;
  /** `events?since=N`: the events numbered above N (0 when absent). */
  since: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function conversationUri(conversationId: string, view: ConversationView = 'summary'): string {
  return view === 'summary' ? CONVERSATION_URI_PREFIX + conversationId : `${CONVERSATION_URI_PREFIX}${conversationId}/${view}`;
}

/**
 * The parts of an `agentwire://conversations/…` URI, or a sentence saying what is wrong with it.
 * Only `events` takes a query, and only `since` (a non-negative integer).
 */
export function parseConversationUri(uri: string): ConversationUri | { problem: string } {
  if (!uri.startsWith(CONVERSATION_URI_PREFIX)) return { problem: `not an ${CONVERSATION_URI_PREFIX}… URI` };
  const rest = uri.slice(CONVERSATION_URI_PREFIX.length);
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? undefined : rest.slice(q + 1);
  const [id, view, ...more] = path.split('/');
  if (!id || !UUID.test(id)) return { problem: 'the conversation id is not a UUID' };
  if (more.length > 0) return { problem: 'too many path segments' };
  const shown: ConversationView = view === undefined ? 'summary' : (view as ConversationView);
  if (!['summary', 'transcript', 'diff', 'events'].includes(shown) || view === 'summary') return { problem: `unknown view ${JSON.stringify(view)} (transcript, diff, events)` };
  let since = 0;
  if (query !== undefined) {
    if (shown !== 'events') return { problem: 'only the events view takes a query' };
    const m = /^since=(\d{1,15})$/.exec(query);
    if (!m) return { problem: 'the query must be since=<non-negative integer>' };
    since = Number(m[1]);
  }
  return { conversationId: id.toLowerCase(), view: shown, since };
}

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
