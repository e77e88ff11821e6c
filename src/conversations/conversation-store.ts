import { inject, injectable } from 'tsyringe';
import { statSync } from 'node:fs';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { AgentwireConfig } from '../config/config';
import { ConfigError } from '../config/config-file';
import type { ConversationSettings } from '../config/conversation-settings';
import { deriveResumedSettings, type ConversationParams } from '../config/derive-settings';
import type { Logger } from '../logging/logger';
import { type ResponseItem, userText } from '../protocol/items';
import { InvalidParamsError, InvalidRequestError } from '../router/errors';
import { LOGGER } from '../tokens';

/** The largest rollout file resume reads into memory. */
const MAX_ROLLOUT_BYTES = 512 * 1024 * 1024;
import type { Conversation } from './conversation';
import { ConversationManager, settingsRecord } from './conversation-manager';
import type { ListPage } from './rollout-listing';
import type { InitialMessage, RolloutContents } from './rollout-reader';
import { environmentContextText } from './turn';

/* eslint-disable @typescript-eslint/no-require-imports -- the rollout modules load on the first call that needs them, not at start-up */
const listing = (): typeof import('./rollout-listing') => require('./rollout-listing') as typeof import('./rollout-listing');
const reader = (): typeof import('./rollout-reader') => require('./rollout-reader') as typeof import('./rollout-reader');
/* eslint-enable @typescript-eslint/no-require-imports */

/** No live conversation and no rollout for an id: codex-reply turns this into its `Session not found` result. */
export class ConversationNotFoundError extends InvalidRequestError {
  constructor(readonly conversationId: string, sessions: string) {
    super(`conversation not found: ${conversationId} (it is not live and has no rollout file under ${sessions})`);
  }
}

/** What resumeConversation gives back. */
export interface Resumed {
  conversation: Conversation;
  /** The history for a client to redraw (see InitialMessage in rollout-reader.ts). */
  initialMessages: InitialMessage[];
}

/**
 * Conversations beyond the live ones: listing rollout files, rebuilding a conversation from its
 * rollout (resumeConversation, codex-reply after a restart), copying one (forkConversation)
 * and moving one out of the list (archiveConversation). The live registry stays the
 * ConversationManager; this service only reads and moves files and hands it what it read.
 */
@injectable()
export class ConversationStore {
  constructor(
    private readonly config: AgentwireConfig,
    private readonly conversations: ConversationManager,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  private get sessions(): string {
    return join(this.config.home, 'sessions');
  }

  /**
   * A page of conversations, newest first.
   *
   * @throws InvalidParamsError (-32602) for a cursor listConversations did not make
   */
  list(pageSize: number, cursor?: string): ListPage {
    const { listRollouts, BadCursorError } = listing();
    try {
      return listRollouts(this.config.home, { pageSize, cursor });
    } catch (err) {
      if (err instanceof BadCursorError) throw new InvalidParamsError(`Invalid params: ${err.message}`, [err.message]);
      throw err;
    }
  }

  /** The rollout of a conversation id under `<home>/sessions`, newest first; undefined when there is none. */
  findRollout(conversationId: string): string | undefined {
    return listing().findRolloutPath(this.config.home, conversationId);
  }

  /**
   * The live conversation of an id, or the one rebuilt from its rollout. A conversation already
   * live is answered as it is (overrides do not apply to it): two copies of one conversation
   * would write into one file.
   *
   * @throws ConversationNotFoundError when the id names no live conversation and no rollout
   * @throws InvalidRequestError (-32600) for a path that is not a rollout, a path of another
   *   conversation, or settings that cannot be derived (`error deriving config: …`)
   */
  async resume(source: { conversationId?: string; path?: string }, overrides: ConversationParams = {}): Promise<Resumed> {
    const { conversationId } = source;
    if (conversationId !== undefined && source.path === undefined) {
      const live = this.conversations.get(conversationId);
      if (live) return this.resumed(live);
    }
    const contents = await this.read(source);
    // Checked again after the read: another request may have resumed it meanwhile.
    const live = this.conversations.get(contents.meta.id);
    if (live) return this.resumed(live);

    const settings = this.derive(contents, overrides);
    const conversation = this.conversations.restore(contents.meta.id, settings, contents);
    // The model must learn of a changed cwd or policy; it knows only what the history says.
    const context = environmentContextText(settings);
    if (lastEnvironmentContext(contents.items) !== context) conversation.appendItems([userText(context)]);
    // The next resume starts from these settings, not from the ones the file began with.
    if (contents.format === 'codex-0.29' || Object.values(overrides).some((v) => v !== undefined)) {
      conversation.rollout.settings(settingsRecord(settings));
    }
    conversation.rollout.flush();
    this.log.debug({ conversationId: conversation.id, path: contents.path, items: contents.items.length }, 'conversation resumed from its rollout');
    return this.resumed(conversation);
  }

  /**
   * A new conversation whose history is the source's, less its last `dropLastTurns` turns. A
   * turn still running in a live source is not copied (its tool calls may lack their outputs)
   * and does not count as one of the turns dropped.
   *
   * @throws ConversationNotFoundError, InvalidRequestError as {@link resume}, and when the source
   *   has fewer turns than `dropLastTurns`
   */
  async fork(source: { conversationId: string; path?: string }, dropLastTurns = 0): Promise<Conversation> {
    const live = source.path === undefined ? this.conversations.get(source.conversationId) : undefined;
    let settings: ConversationSettings;
    let items: readonly ResponseItem[];
    let turnStarts: readonly number[];
    if (live) {
      settings = live.settings;
      const running = live.activeTurn ? live.turnStarts[live.turnStarts.length - 1] : undefined;
      items = running === undefined ? live.history : live.history.slice(0, running);
      turnStarts = running === undefined ? live.turnStarts : live.turnStarts.slice(0, -1);
    } else {
      const contents = await this.read(source);
      settings = this.derive(contents, {});
      ({ items, turnStarts } = contents);
    }
    if (dropLastTurns > turnStarts.length) {
      throw new InvalidRequestError(`cannot drop ${dropLastTurns} turns: conversation ${source.conversationId} has ${turnStarts.length}`);
    }
    const keptTurns = turnStarts.slice(0, turnStarts.length - dropLastTurns);
    const end = dropLastTurns === 0 ? items.length : turnStarts[turnStarts.length - dropLastTurns]!;
    const conversation = this.conversations.startCopy(settings, { items: structuredClone(items.slice(0, end)), turnStarts: keptTurns, sourceId: source.conversationId });
    conversation.rollout.flush();
    return conversation;
  }

  /**
   * Moves a rollout to `<home>/archived_sessions/` (same file name), ending the conversation
   * first when it is live. Only a file of that conversation inside `<home>/sessions` is moved.
   *
   * @throws InvalidRequestError (-32600) naming what is wrong with the path
   */
  async archive(conversationId: string, rolloutPath: string): Promise<void> {
    const path = resolve(rolloutPath);
    const inside = relative(this.sessions, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new InvalidRequestError(`rollout path is not inside ${this.sessions}: ${rolloutPath}`);
    }
    const name = basename(path);
    if (!name.startsWith('rollout-') || !name.endsWith(`-${conversationId}.jsonl`)) {
      throw new InvalidRequestError(`rollout ${rolloutPath} does not belong to conversation ${conversationId}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs/promises') as typeof import('node:fs/promises');
    const stat = await fs.stat(path).catch(() => undefined);
    if (!stat?.isFile()) throw new InvalidRequestError(`rollout file not found: ${rolloutPath}`);
    // Ended before the move, so that nothing appends to the file while it goes.
    await this.conversations.end(conversationId);
    const archived = join(this.config.home, 'archived_sessions');
    await fs.mkdir(archived, { recursive: true });
    await fs.rename(path, join(archived, name));
  }

  private resumed(conversation: Conversation): Resumed {
    return { conversation, initialMessages: reader().initialMessagesOf(conversation.history) };
  }

  /** The rollout a source names: its path, or the newest file of its id. */
  private async read(source: { conversationId?: string; path?: string }): Promise<RolloutContents> {
    const path = source.path !== undefined ? resolve(source.path) : this.findRollout(source.conversationId!);
    if (path === undefined) throw new ConversationNotFoundError(source.conversationId!, this.sessions);
    const { readRollout, RolloutFormatError } = reader();
    // Only regular files of a sane size: a path to /dev/zero or a FIFO would read for ever or block.
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new InvalidRequestError(`rollout file not found: ${source.path ?? path}`);
    if (!stat.isFile()) throw new InvalidRequestError(`${source.path ?? path} is not a rollout file: not a regular file`);
    if (stat.size > MAX_ROLLOUT_BYTES) throw new InvalidRequestError(`${source.path ?? path} is not a rollout file: larger than ${MAX_ROLLOUT_BYTES} bytes`);
    let contents: RolloutContents;
    try {
      contents = await readRollout(path, (fields, message) => this.log.warn(fields, message));
    } catch (err) {
      if (err instanceof RolloutFormatError) throw new InvalidRequestError(err.message);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidRequestError(`rollout file not found: ${source.path ?? path}`);
      throw new InvalidRequestError(`rollout file cannot be read: ${source.path ?? path}: ${(err as Error).message}`);
    }
    if (source.conversationId !== undefined && contents.meta.id !== source.conversationId) {
      throw new InvalidRequestError(`rollout ${path} belongs to conversation ${contents.meta.id}, not ${source.conversationId}`);
    }
    return contents;
  }

  private derive(contents: RolloutContents, overrides: ConversationParams): ConversationSettings {
    try {
      return deriveResumedSettings(this.config, contents.settings, overrides);
    } catch (err) {
      if (err instanceof ConfigError) throw new InvalidRequestError(`error deriving config: ${err.message}`);
      throw err;
    }
  }
}

/** The text of the last `<environment_context>` item of a history. */
function lastEnvironmentContext(items: readonly ResponseItem[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.type !== 'message' || item.role !== 'user') continue;
    const text = item.content.map((c) => ('text' in c ? c.text : '')).join('');
    if (text.startsWith('<environment_context>')) return text;
  }
  return undefined;
}
