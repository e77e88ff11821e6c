import { inject, injectable, type InjectionToken } from 'tsyringe';
import { join } from 'node:path';
import { AgentwireConfig } from '../config/config';
import { LOGGER, type Logger } from '../logging/logger';
import type { ConversationEvent } from '../protocol/events';
import type { ConversationResourceSummary, ResourceEntry, ResourceTemplateEntry, TextContents } from '../protocol/resources';
import { conversationUri, parseConversationUri, RESOURCE_NOT_FOUND, type ConversationUri } from '../protocol/resource-uris';
import { AgentwireError, InternalError, InvalidParamsError } from '../router/errors';
import type { Conversation } from './conversation';
import { ConversationManager } from './conversation-manager';
import { ConversationStore } from './conversation-store';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on the first resources call, not at start-up */
const fs = (): typeof import('node:fs') => require('node:fs') as typeof import('node:fs');
const reader = (): typeof import('./rollout-reader') => require('./rollout-reader') as typeof import('./rollout-reader');
const recorded = (): typeof import('./rollout-events') => require('./rollout-events') as typeof import('./rollout-events');
const render = (): typeof import('./conversation-transcript') => require('./conversation-transcript') as typeof import('./conversation-transcript');
/* eslint-enable @typescript-eslint/no-require-imports -- end of the lazily loaded modules */

/** Rows per `resources/list` page: as many as listConversations gives by default. */
export const RESOURCE_PAGE_SIZE = 20;
/** At most this many events per read of an `events` resource; `nextSince` says where to go on. */
export const EVENTS_PER_READ = 5_000;

/** An id with no live conversation and no rollout (in sessions/ or archived_sessions/). The code depends on the era. */
export class ResourceNotFoundError extends AgentwireError {
  constructor(uri: string, code = RESOURCE_NOT_FOUND) {
    super(code, `Resource not found: ${uri}`, { uri });
  }
}

/** Where a conversation's record is, and its state. */
interface Located {
  path: string;
  status: ConversationResourceSummary['status'];
  live?: Conversation;
}

const TEMPLATES: ResourceTemplateEntry[] = [
  {
    uriTemplate: 'agentwire://conversations/{id}',
    name: 'conversation',
    title: 'Conversation summary',
    mimeType: 'application/json',
    description: 'Title, model, cwd, times, turn count and status (running, idle, archived).',
  },
  {
    uriTemplate: 'agentwire://conversations/{id}/transcript',
    name: 'transcript',
    title: 'Conversation transcript',
    mimeType: 'text/markdown',
    description: 'Markdown (messages, commands with exit codes, patches) and JSON (the recorded items).',
  },
  {
    uriTemplate: 'agentwire://conversations/{id}/diff',
    name: 'diff',
    title: 'Conversation diff',
    mimeType: 'text/x-diff',
    description: 'The unified diff of the files the conversation changed, turn by turn.',
  },
  {
    uriTemplate: 'agentwire://conversations/{id}/events{?since}',
    name: 'events',
    title: 'Conversation events',
    mimeType: 'application/json',
    description: 'The numbered events after `since` that the conversation still holds.',
  },
];

/** The conversations as MCP resources (the public CONVERSATION_RESOURCES token), for the resources plugin. */
export const CONVERSATION_RESOURCES: InjectionToken<ConversationResources> = Symbol.for('agentwire:ConversationResources');

/**
 * Conversations as MCP resources: the list (rollout heads only, as listConversations), the
 * templates, and the four views of one conversation. Live conversations are read from their
 * rollout after a flush, plus the replay ring for events; others from their rollout in
 * sessions/ or archived_sessions/.
 */
@injectable()
export class ConversationResources {
  constructor(
    private readonly config: AgentwireConfig,
    private readonly conversations: ConversationManager,
    private readonly store: ConversationStore,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  templates(): ResourceTemplateEntry[] {
    return TEMPLATES;
  }

  /** A page of conversations, newest first. @throws InvalidParamsError for a cursor this did not make */
  list(cursor?: string): { resources: ResourceEntry[]; nextCursor?: string } {
    const page = this.store.list(RESOURCE_PAGE_SIZE, cursor);
    const { statSync } = fs();
    const resources = page.items.map((row): ResourceEntry => {
      const live = this.conversations.get(row.conversationId);
      const status = live ? (live.activeTurn ? 'running' : 'idle') : 'idle';
      const entry: ResourceEntry = {
        uri: conversationUri(row.conversationId),
        name: row.conversationId,
        title: titleOf(row.preview) || `Conversation ${row.conversationId.slice(0, 8)}`,
        description: [status, row.model, row.cwd].filter(Boolean).join(' · '),
        mimeType: 'application/json',
      };
      try {
        entry.annotations = { lastModified: statSync(row.path).mtime.toISOString() };
      } catch {
        // Gone since the listing read it: listed without a time.
      }
      return entry;
    });
    return page.nextCursor === undefined ? { resources } : { resources, nextCursor: page.nextCursor };
  }

  /**
   * The parts of a URI. @throws InvalidParamsError (-32602) for a malformed one
   */
  parse(uri: string): ConversationUri {
    const parsed = parseConversationUri(uri);
    if ('problem' in parsed) throw new InvalidParamsError(`Invalid resource URI ${JSON.stringify(uri.slice(0, 200))}: ${parsed.problem}`, [`uri: ${parsed.problem}`]);
    return parsed;
  }

  /** True when the conversation has a record (live, in sessions/ or archived). */
  exists(conversationId: string): boolean {
    return this.locate(conversationId) !== undefined;
  }

  /**
   * The contents of a conversation resource.
   *
   * @throws InvalidParamsError (-32602) for a malformed URI
   * @throws ResourceNotFoundError (`notFoundCode`) when the id names no conversation
   */
  async read(uri: string, notFoundCode = RESOURCE_NOT_FOUND): Promise<TextContents[]> {
    const target = this.parse(uri);
    const at = this.locate(target.conversationId);
    if (!at) throw new ResourceNotFoundError(uri, notFoundCode);
    try {
      // Read whole (summary, transcript, diff, events): only up to the cap resume keeps to.
      if (fs().statSync(at.path).size > this.config.rolloutMaxBytes) {
        throw new InternalError(`conversation ${target.conversationId} cannot be read: its rollout is larger than rollout_max_bytes (${this.config.rolloutMaxBytes} bytes)`);
      }
      switch (target.view) {
        case 'summary':
          return [{ uri, mimeType: 'application/json', text: JSON.stringify(await this.summary(target.conversationId, at)) }];
        case 'transcript': {
          const contents = await this.rollout(at.path);
          return [
            { uri, mimeType: 'text/markdown', text: render().transcriptMarkdown(target.conversationId, contents.items, contents.turnStarts) },
            { uri, mimeType: 'application/json', text: JSON.stringify({ conversationId: target.conversationId, items: contents.items, turnStarts: contents.turnStarts }) },
          ];
        }
        case 'diff': {
          const events = await recorded().readRecordedEvents(at.path, 1, Number.MAX_SAFE_INTEGER, this.config.rolloutMaxBytes);
          return [{ uri, mimeType: 'text/x-diff', text: render().conversationDiff(events) }];
        }
        case 'events':
          return [{ uri, mimeType: 'application/json', text: JSON.stringify(await this.events(target.conversationId, at, target.since)) }];
      }
    } catch (err) {
      if (err instanceof AgentwireError) throw err;
      this.log.warn({ conversationId: target.conversationId, reason: (err as Error).message }, 'conversation resource cannot be read');
      throw new InternalError(`conversation ${target.conversationId} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  private async summary(id: string, at: Located): Promise<ConversationResourceSummary> {
    const contents = await this.rollout(at.path);
    const { userMessageText, isContextText } = reader();
    let title = '';
    for (const item of contents.items) {
      const text = userMessageText(item);
      if (text !== undefined && !isContextText(text)) {
        title = titleOf(text);
        break;
      }
    }
    const mtime = fs().statSync(at.path).mtime;
    const created = utcOf(contents.meta.timestamp);
    return {
      id,
      title,
      model: at.live?.settings.model ?? contents.settings.model ?? null,
      cwd: at.live?.settings.cwd ?? contents.settings.cwd ?? null,
      created,
      updated: mtime.toISOString(),
      turnCount: at.live ? at.live.turnStarts.length : contents.turnStarts.length,
      status: at.status,
      lastSeq: at.live ? at.live.events.lastSeq : contents.lastEventSeq,
    };
  }

  /** The events after `since`: the rollout's before the ring, then the ring's (live); the rollout's only otherwise. */
  private async events(id: string, at: Located, since: number): Promise<{ conversationId: string; events: ConversationEvent[]; lastSeq: number; nextSince?: number }> {
    const max = this.config.rolloutMaxBytes;
    let events: ConversationEvent[];
    let lastSeq: number;
    if (at.live) {
      const log = at.live.events;
      const held = log.heldAfter(since);
      const before = log.firstHeld;
      lastSeq = log.lastSeq;
      events = [...(await recorded().readRecordedEvents(at.path, since + 1, before, max)), ...held];
    } else {
      events = await recorded().readRecordedEvents(at.path, since + 1, Number.MAX_SAFE_INTEGER, max);
      lastSeq = events.length > 0 ? events[events.length - 1].seq! : since;
    }
    if (events.length > EVENTS_PER_READ) {
      events = events.slice(0, EVENTS_PER_READ);
      return { conversationId: id, events, lastSeq, nextSince: events[events.length - 1].seq };
    }
    return { conversationId: id, events, lastSeq };
  }

  private async rollout(path: string) {
    const { readRollout } = reader();
    return readRollout(path, (fields, message) => this.log.debug(fields, message), this.config.rolloutMaxBytes);
  }

  private locate(id: string): Located | undefined {
    const live = this.conversations.get(id);
    if (live) {
      live.rollout.flush();
      return { path: live.rollout.path, status: live.activeTurn ? 'running' : 'idle', live };
    }
    const path = this.store.findRollout(id);
    if (path) return { path, status: 'idle' };
    const archived = archivedRollout(join(this.config.home, 'archived_sessions'), id);
    return archived ? { path: archived, status: 'archived' } : undefined;
  }
}

/** The archived rollout of an id: a regular file (not a link) named for it in archived_sessions/. */
function archivedRollout(dir: string, id: string): string | undefined {
  const suffix = `-${id}.jsonl`;
  let names: import('node:fs').Dirent[];
  try {
    names = fs().readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const found = names
    .filter((e) => e.isFile() && e.name.startsWith('rollout-') && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort()
    .pop();
  return found === undefined ? undefined : join(dir, found);
}

/** A title from a user message: its first non-empty line, at most 120 characters. */
function titleOf(text: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** The session line's local time with a literal Z (WIRE.md §12) as a real UTC instant. */
function utcOf(recorded: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/.exec(recorded);
  if (!m) return recorded;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s, m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0')));
  return Number.isNaN(date.getTime()) ? recorded : date.toISOString();
}
