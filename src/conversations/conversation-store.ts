import { inject, injectable, type InjectionToken } from 'tsyringe';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { AgentwireConfig } from '../config/config';
import { ConfigError } from '../config/config-file';
import type { ConversationSettings } from '../config/conversation-settings';
import { deriveResumedSettings, type ConversationParams } from '../config/derive-settings';
import { LOGGER, type Logger } from '../logging/logger';
import { type ResponseItem, userText } from '../protocol/items';
import { InvalidParamsError, InvalidRequestError } from '../router/errors';
import type { Conversation } from './conversation';
import { ConversationManager, settingsRecord } from './conversation-manager';
import { RolloutLock } from './rollout-lock';
import type { ListPage } from './rollout-listing';
import type { InitialMessage, RolloutContents } from './rollout-reader';
import { environmentContextText } from './turn';

/* eslint-disable @typescript-eslint/no-require-imports -- the rollout modules load on the first call that needs them, not at start-up */
const listing = (): typeof import('./rollout-listing') => require('./rollout-listing') as typeof import('./rollout-listing');
const reader = (): typeof import('./rollout-reader') => require('./rollout-reader') as typeof import('./rollout-reader');
/* eslint-enable @typescript-eslint/no-require-imports -- end of the lazily loaded modules above */

/** No live conversation and no rollout for an id: codex-reply turns this into its `Session not found` result. */
export class ConversationNotFoundError extends InvalidRequestError {
  constructor(
    readonly conversationId: string,
    sessions: string,
  ) {
    super(`conversation not found: ${conversationId} (it is not live and has no rollout file under ${sessions})`);
  }
}

/** What resumeConversation gives back. */
export interface Resumed {
  conversation: Conversation;
  /** The history for a client to redraw (see InitialMessage in rollout-reader.ts). */
  initialMessages: InitialMessage[];
}

/** Conversations on disk: list, resume, fork, archive (the ConversationStore singleton), for plugins. */
export const CONVERSATION_STORE: InjectionToken<ConversationStore> = Symbol.for('agentwire:ConversationStore');

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

  /** Resumes under way in this process, by real rollout path. */
  private readonly resuming = new Map<string, Promise<Resumed>>();

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
      const page = listRollouts(this.config.home, { pageSize, cursor });
      // A conversation that has not run a turn has no settings record on disk yet (RolloutRecorder);
      // one live here still shows its model.
      for (const row of page.items) {
        const live = row.model === undefined ? this.conversations.get(row.conversationId) : undefined;
        if (live) row.model = live.settings.model;
      }
      return page;
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
   * live in this process is answered as it is (overrides do not apply to it); one live in another
   * process is refused: two writers of one file would interleave their turns.
   *
   * @throws ConversationNotFoundError when the id names no live conversation and no rollout
   * @throws ConversationLiveElsewhereError (-32600) when another agentwire process holds its rollout
   * @throws InvalidRequestError (-32600) for a path that is not a rollout under `<home>/sessions`,
   *   a path of another conversation, or settings that cannot be derived (`error deriving config: …`)
   */
  async resume(source: { conversationId?: string; path?: string }, overrides: ConversationParams = {}): Promise<Resumed> {
    const { conversationId } = source;
    if (conversationId !== undefined && source.path === undefined) {
      const live = this.conversations.get(conversationId);
      if (live) return this.resumed(live);
    }
    const path = await this.rolloutFile(source);
    const live = this.liveWithRollout(path);
    if (live) return this.checkedLive(live, source);
    // Two resumes of one file at once in this process (codex-reply is not an ordered method) make one conversation.
    const pending = this.resuming.get(path);
    if (pending) return this.checkedLive((await pending).conversation, source);
    const work = this.restore(path, source, overrides).finally(() => this.resuming.delete(path));
    this.resuming.set(path, work);
    return work;
  }

  /**
   * A new conversation whose history is the source's, less its last `dropLastTurns` turns. A
   * turn still running in a live source is not copied (its tool calls may lack their outputs)
   * and does not count as one of the turns dropped. A source live in another process may be
   * forked: the fork gets a rollout (and a lock) of its own.
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
      const contents = await this.read(await this.rolloutFile(source), source);
      settings = this.derive(contents, {});
      ({ items, turnStarts } = contents);
    }
    if (dropLastTurns > turnStarts.length) {
      throw new InvalidRequestError(`cannot drop ${dropLastTurns} turns: conversation ${source.conversationId} has ${turnStarts.length}`);
    }
    const keptTurns = turnStarts.slice(0, turnStarts.length - dropLastTurns);
    const end = dropLastTurns === 0 ? items.length : turnStarts[turnStarts.length - dropLastTurns];
    const conversation = this.conversations.startCopy(settings, { items: structuredClone(items.slice(0, end)), turnStarts: keptTurns, sourceId: source.conversationId });
    conversation.rollout.flush();
    return conversation;
  }

  /**
   * Moves a rollout to `<home>/archived_sessions/` (same file name), ending the conversation
   * first when it is live here. Only a regular file of that conversation whose real path is
   * inside `<home>/sessions` is moved, and only into the real `<home>/archived_sessions`: a
   * folder under sessions/ that links elsewhere moves nothing in or out of the home. A
   * conversation live in another process is not archived under it.
   *
   * @throws InvalidRequestError (-32600) naming what is wrong with the path
   * @throws ConversationLiveElsewhereError (-32600) when another agentwire process holds the rollout
   */
  async archive(conversationId: string, rolloutPath: string): Promise<void> {
    const shown = rolloutPath;
    const path = resolve(rolloutPath);
    const inside = relative(this.sessions, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new InvalidRequestError(`rollout path is not inside ${this.sessions}: ${shown}`);
    }
    const name = basename(path);
    if (!name.startsWith('rollout-') || !name.endsWith(`-${conversationId}.jsonl`)) {
      throw new InvalidRequestError(`rollout ${shown} does not belong to conversation ${conversationId}`);
    }
    const real = await this.rolloutFile({ path: rolloutPath });
    if (basename(real) !== name) throw new InvalidRequestError(`rollout ${shown} does not belong to conversation ${conversationId}`);
    const fs = fsPromises();
    const archived = join(this.config.home, 'archived_sessions');
    await fs.mkdir(archived, { recursive: true, mode: 0o700 });
    const realArchived = await fs.realpath(archived);
    if (realArchived !== join(await fs.realpath(this.config.home), 'archived_sessions')) {
      throw new InvalidRequestError(`${archived} is a link out of ${this.config.home}: nothing archived`);
    }
    // Ended before the move, so that nothing appends to the file while it goes.
    await this.conversations.end(conversationId);
    const lock = await RolloutLock.acquire(real, conversationId, this.log);
    try {
      await fs.rename(real, join(realArchived, name));
    } finally {
      await lock.release();
    }
    this.conversations.noteArchived(conversationId);
  }

  private resumed(conversation: Conversation): Resumed {
    return { conversation, initialMessages: reader().initialMessagesOf(conversation.history) };
  }

  /** A conversation found live by its rollout path: the id asked for must be its own. */
  private checkedLive(live: Conversation, source: { conversationId?: string; path?: string }): Resumed {
    if (source.conversationId !== undefined && live.id !== source.conversationId) {
      throw new InvalidRequestError(`rollout ${source.path} belongs to conversation ${live.id}, not ${source.conversationId}`);
    }
    return this.resumed(live);
  }

  /** Rebuilds a conversation from its (checked, real) rollout path, holding the rollout's lock from before the read on. */
  private async restore(path: string, source: { conversationId?: string; path?: string }, overrides: ConversationParams): Promise<Resumed> {
    const lock = await RolloutLock.acquire(path, source.conversationId ?? idOfRolloutName(path) ?? path, this.log);
    let conversation: Conversation;
    let contents: RolloutContents;
    let settings: ConversationSettings;
    try {
      contents = await this.read(path, source);
      // A copy of a live conversation's file under another name would otherwise make a second live copy.
      if (this.conversations.get(contents.meta.id)) throw new InvalidRequestError(`conversation ${contents.meta.id} is already live from another rollout file than ${path}`);
      settings = this.derive(contents, overrides);
      conversation = this.conversations.restore(contents.meta.id, settings, contents, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
    // The model must learn of a changed cwd or policy; it knows only what the history says.
    const context = environmentContextText(settings);
    if (lastEnvironmentContext(contents.items) !== context) conversation.appendItems([userText(context)]);
    // The next resume starts from these settings, not from the ones the file began with (a
    // narrowed policy included: it is what the conversation now runs under).
    const recorded = contents.settings;
    const narrowed = recorded.approvalPolicy !== settings.approvalPolicy || recorded.sandboxMode !== settings.sandboxPolicy.mode;
    if (contents.format === 'codex-0.29' || narrowed || Object.values(overrides).some((v) => v !== undefined)) {
      conversation.rollout.settings(settingsRecord(settings));
    }
    conversation.rollout.flush();
    this.log.debug({ conversationId: conversation.id, path: contents.path, items: contents.items.length }, 'conversation resumed from its rollout');
    return this.resumed(conversation);
  }

  /** The live conversation that appends to a rollout (by its real path), if any. */
  private liveWithRollout(realPath: string): Conversation | undefined {
    const id = idOfRolloutName(realPath);
    const live = id === undefined ? undefined : this.conversations.get(id);
    if (!live) return undefined;
    return resolve(live.rollout.path) === realPath || basename(live.rollout.path) === basename(realPath) ? live : undefined;
  }

  /**
   * The real path of the rollout a source names (its path, or the newest file of its id), checked:
   * a regular file whose real path is inside the real `<home>/sessions`, no larger than
   * `rollout_max_bytes`. A path anywhere else is refused however rollout-like the file is: the
   * server would append its records to it, and its settings are only worth as much as the
   * folder's protection (the home is outside every sandbox's writable roots).
   */
  private async rolloutFile(source: { conversationId?: string; path?: string }): Promise<string> {
    const requested = source.path !== undefined ? resolve(source.path) : this.findRollout(source.conversationId!);
    if (requested === undefined) throw new ConversationNotFoundError(source.conversationId!, this.sessions);
    const shown = source.path ?? requested;
    const fs = fsPromises();
    let real: string;
    try {
      real = await fs.realpath(requested);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidRequestError(`rollout file not found: ${shown}`);
      throw new InvalidRequestError(`rollout file cannot be read: ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const sessions = await fs.realpath(this.sessions).catch(() => undefined);
    const inside = sessions === undefined ? '..' : relative(sessions, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new InvalidRequestError(`rollout path is not inside ${this.sessions}: ${shown}`);
    }
    // Only regular files of a sane size: a FIFO would block, /dev/zero would read for ever.
    const stat = await fs.stat(real);
    if (!stat.isFile()) throw new InvalidRequestError(`${shown} is not a rollout file: not a regular file`);
    const max = this.config.rolloutMaxBytes;
    if (stat.size > max) throw new InvalidRequestError(`${shown} is not a rollout file: larger than rollout_max_bytes (${max} bytes)`);
    return real;
  }

  /** Reads a checked rollout path; the file must be of the conversation asked for, when one is. */
  private async read(path: string, source: { conversationId?: string; path?: string }): Promise<RolloutContents> {
    const shown = source.path ?? path;
    const { readRollout, RolloutFormatError, RolloutTooLargeError } = reader();
    let contents: RolloutContents;
    try {
      contents = await readRollout(path, (fields, message) => this.log.warn(fields, message), this.config.rolloutMaxBytes);
    } catch (err) {
      if (err instanceof RolloutTooLargeError) throw new InvalidRequestError(`${shown} is not a rollout file: larger than rollout_max_bytes (${err.maxBytes} bytes)`);
      if (err instanceof RolloutFormatError) throw new InvalidRequestError(err.message);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidRequestError(`rollout file not found: ${shown}`);
      throw new InvalidRequestError(`rollout file cannot be read: ${shown}: ${(err as Error).message}`);
    }
    if (source.conversationId !== undefined && contents.meta.id !== source.conversationId) {
      throw new InvalidRequestError(`rollout ${shown} belongs to conversation ${contents.meta.id}, not ${source.conversationId}`);
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

/** The conversation id in a rollout's file name (`rollout-<time>-<id>.jsonl`), if it has one. */
function idOfRolloutName(path: string): string | undefined {
  return /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(basename(path))?.[1];
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by the first call that needs it, not at start-up */
const fsPromises = (): typeof import('node:fs/promises') => require('node:fs/promises') as typeof import('node:fs/promises');

/** The text of the last `<environment_context>` item of a history. */
function lastEnvironmentContext(items: readonly ResponseItem[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item.type !== 'message' || item.role !== 'user') continue;
    const text = item.content.map((c) => ('text' in c ? c.text : '')).join('');
    if (text.startsWith('<environment_context>')) return text;
  }
  return undefined;
}
