/**
 * Conversations as MCP resources (issue 14): the method and notification names, the error code and
 * the URI scheme. Apart from the params classes and result shapes (resources.ts), which re-exports
 * these: the server needs these at start-up, the classes only when a resources request comes
 * (methods.ts names them through arrow functions).
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
