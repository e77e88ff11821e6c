import { inject, injectable, type InjectionToken } from 'tsyringe';
import { AgentwireConfig } from '../config/config';
import type { ConversationSettings } from '../config/conversation-settings';
import { deriveSettings, type ConversationParams } from '../config/derive-settings';
import { BUILT_IN_INSTRUCTIONS } from '../config/instructions';
import { LOGGER, type Logger } from '../logging/logger';
import type { ConversationEvent } from '../protocol/events';
import { FLUSHED_EVENT_TYPES } from '../protocol/event-types';
import { CodexEvent } from '../protocol/methods';
import type { ResponseItem } from '../protocol/items';
import { InvalidRequestError } from '../router/errors';
import { JsonRpcRouter } from '../router/json-rpc-router';
import { anySignal } from '../runtime/any-signal';
import { OutgoingRequests } from '../router/outgoing-requests';
import { AgentToolRegistry } from './agent-tool';
import { Conversation } from './conversation';
import { ModelGateway } from './model-gateway';
import { RolloutLock } from './rollout-lock';
import { RolloutRecorder, rolloutPath } from './rollout-recorder';
import { runTurnNotify } from './turn-notifier';
import { ProcessGroups } from '../process/process-groups';

/**
 * A v4 UUID from the Web Crypto global: node:crypto loads a dozen modules, and start-up should not
 * pay for them before the first conversation.
 */
const randomUUID = (): string => globalThis.crypto.randomUUID();

/**
 * A replay sends its next event only while at most this much output waits for the client: 10,000
 * events are ~2.5 MB, which otherwise sat in stdout's buffer at once for a client that reads them
 * slower than they are made. What has not gone out yet stays in the ring (or in the list read from
 * the rollout), where it is anyway. About four thousand events: a wait lasts until stdout has
 * written everything out, and the pipe is idle until the replay fills it again, so a smaller bound
 * costs time (256 KiB: ~5 ms more per 10,000-event replay in `npm run bench`).
 */
export const REPLAY_OUTPUT_BYTES = 1024 * 1024;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by the first replay that needs the rollout, not at start-up
const recordedEvents = (): typeof import('./rollout-events') => require('./rollout-events') as typeof import('./rollout-events');

interface Entry {
  conversation: Conversation;
  listeners: Set<string>;
  /** Events produced while no listener exists, delivered when one is added (WIRE.md §5.2). */
  buffer: ConversationEvent[];
  /** This process's right to append to the rollout, held until the conversation ends (rollout-lock.ts). */
  lock: RolloutLock | undefined;
  /** While a replay reads the rollout: live events wait here, and go out after the replayed ones. */
  tail?: ConversationEvent[];
  /** The replay in progress, if any; the next one waits for it. */
  replay?: Promise<unknown>;
  /** Aborted when the conversation ends: a replay waiting for the client to read stops then. */
  ended: AbortController;
}

/** What changed about a conversation, for whoever watches (resource subscriptions). */
export interface ConversationChange {
  conversationId: string;
  /** `created`: a new conversation (and rollout); `changed`: its rollout grew or its turn state changed; `archived`: moved out of sessions/. */
  kind: 'created' | 'changed' | 'archived';
}

/** The live conversations (the ConversationManager singleton), for plugins. */
export const CONVERSATIONS: InjectionToken<ConversationManager> = Symbol.for('agentwire:Conversations');

/**
 * The one registry of live conversations (a container singleton), whichever door they came in by.
 * It creates them, routes their events to the client as `codex/event/<type>` notifications (one
 * notification per event however many listeners exist, as 0.29 does), and ends them at shutdown.
 */
@injectable()
export class ConversationManager {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions = new Map<string, string>();
  private readonly watchers = new Set<(change: ConversationChange) => void>();

  constructor(
    private readonly config: AgentwireConfig,
    private readonly model: ModelGateway,
    private readonly tools: AgentToolRegistry,
    private readonly outgoing: OutgoingRequests,
    private readonly groups: ProcessGroups,
    @inject(LOGGER) private readonly log: Logger,
    private readonly router: JsonRpcRouter,
  ) {}

  /** Starts a conversation. Throws ConfigDerivationError when its settings cannot be derived. */
  create(params: ConversationParams): Conversation {
    const settings = deriveSettings(this.config, params);
    return this.start(randomUUID(), settings);
  }

  /** Registers a new conversation with the given settings: a new rollout file and the first history items. */
  start(id: string, settings: ConversationSettings): Conversation {
    const rollout = this.newRollout(id, settings);
    const conversation = this.register(id, settings, rollout, this.lockNew(id, rollout));
    conversation.seedHistory();
    this.tell({ conversationId: id, kind: 'created' });
    return conversation;
  }

  /**
   * Registers a conversation rebuilt from its rollout (resumeConversation, codex-reply after a
   * restart): its history is the recorded one, and its record goes on in the same file, whose
   * lock the caller took (and which the conversation now holds until it ends).
   */
  restore(
    id: string,
    settings: ConversationSettings,
    rollout: { path: string; items: ResponseItem[]; turnStarts: number[]; lastEventSeq?: number },
    lock: RolloutLock,
  ): Conversation {
    const recorder = RolloutRecorder.append(rollout.path, (err) =>
      this.log.child({ conversationId: id }).warn({ reason: err.message }, 'rollout file cannot be written; the conversation goes on without it'),
    );
    const conversation = this.register(id, settings, recorder, lock, rollout.lastEventSeq ?? 0);
    conversation.restoreHistory(rollout.items, rollout.turnStarts);
    return conversation;
  }

  /**
   * Starts a conversation whose history is a copy (forkConversation): a new id and a new rollout
   * file holding the copied items, with a turn marker where each copied turn began.
   */
  startCopy(settings: ConversationSettings, history: { items: ResponseItem[]; turnStarts: number[]; sourceId: string }): Conversation {
    const id = randomUUID();
    const recorder = this.newRollout(id, settings);
    const conversation = this.register(id, settings, recorder, this.lockNew(id, recorder));
    conversation.restoreHistory(history.items, history.turnStarts);
    const starts = new Set(history.turnStarts);
    history.items.forEach((item, i) => {
      if (starts.has(i)) recorder.turnMarker({ submission_id: null, copied_from: history.sourceId });
      recorder.items([item]);
    });
    this.tell({ conversationId: id, kind: 'created' });
    return conversation;
  }

  /** Ends a live conversation and forgets it (archiveConversation); false when it is not live. */
  async end(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    entry.ended.abort(new InvalidRequestError(`conversation not found: ${id}`));
    for (const subscriptionId of entry.listeners) this.subscriptions.delete(subscriptionId);
    await entry.conversation.close();
    entry.conversation.rollout.close();
    await entry.lock?.release();
    return true;
  }

  /**
   * The lock of a new rollout. Nobody else can know the fresh id yet, so a failure here is the
   * file system's (the same one the recorder reports): the conversation goes on unlocked.
   */
  private lockNew(id: string, rollout: RolloutRecorder): RolloutLock | undefined {
    try {
      return RolloutLock.acquireSync(rollout.path, id, this.log);
    } catch (err) {
      this.log.child({ conversationId: id }).warn({ reason: (err as Error).message }, 'rollout cannot be locked; another process could resume this conversation while it is live');
      return undefined;
    }
  }

  private newRollout(id: string, settings: ConversationSettings): RolloutRecorder {
    const now = new Date();
    const rollout = new RolloutRecorder(rolloutPath(this.config.home, id, now), (err) =>
      this.log.child({ conversationId: id }).warn({ reason: err.message }, 'rollout file cannot be written; the conversation goes on without it'),
    );
    rollout.start({ id, now, instructions: settings.userInstructions ?? null, settings: settingsRecord(settings) });
    return rollout;
  }

  private register(id: string, settings: ConversationSettings, rollout: RolloutRecorder, lock: RolloutLock | undefined, lastSeq = 0): Conversation {
    const log = this.log.child({ conversationId: id });
    // Every append is a step of the conversation (a turn started, a tool ran, the turn ended).
    rollout.onWrite = () => this.tell({ conversationId: id, kind: 'changed' });
    const entry: Entry = { listeners: new Set(), buffer: [], lock, conversation: undefined as unknown as Conversation, ended: new AbortController() };
    entry.conversation = new Conversation(id, settings, rollout, (event) => this.deliver(entry, event), {
      model: this.model,
      tools: this.tools,
      onError: (err) => log.error({ err }, 'turn step failed'),
      events: { capacity: this.config.eventReplayBuffer, lastSeq },
      onTurnEnd: (turn, outcome, turnSettings) => {
        // Running → idle, for whoever shows the status (the turn's last records are written already).
        this.tell({ conversationId: id, kind: 'changed' });
        if (outcome.kind === 'completed' && turnSettings.notify?.length) {
          runTurnNotify(turnSettings.notify, { submissionId: turn.submissionId, inputMessages: turn.inputMessages, lastAgentMessage: outcome.lastAgentMessage }, this.groups, log);
        }
      },
    });
    this.entries.set(id, entry);
    return entry.conversation;
  }

  get(id: string): Conversation | undefined {
    return this.entries.get(id)?.conversation;
  }

  /** The conversation, or -32600 `conversation not found: <id>` as 0.29 answers. */
  require(id: string): Conversation {
    const conversation = this.get(id);
    if (!conversation) throw new InvalidRequestError(`conversation not found: ${id}`);
    return conversation;
  }

  get size(): number {
    return this.entries.size;
  }

  addListener(conversationId: string): string {
    const entry = this.entries.get(conversationId);
    if (!entry) throw new InvalidRequestError(`conversation not found: ${conversationId}`);
    return this.attach(entry);
  }

  /**
   * A listener that first gets the events numbered above `sinceSeq` that the conversation still
   * holds (its ring, and before the ring the events its rollout records), in order and once each,
   * and then the live ones. While the rollout is read and the replayed events go out (as fast as
   * the client reads them: REPLAY_OUTPUT_BYTES), live events wait in a tail that goes out right
   * after the replayed ones, so nothing is lost or repeated at the seam. Events buffered for
   * want of a listener are dropped: the replay covers the ones the client has not seen.
   */
  async addListenerSince(conversationId: string, sinceSeq: number, signal?: AbortSignal): Promise<string> {
    const entry = this.entries.get(conversationId);
    if (!entry) throw new InvalidRequestError(`conversation not found: ${conversationId}`);
    const previous = entry.replay;
    const work = (async () => {
      await previous;
      return this.replay(entry, sinceSeq, signal);
    })();
    entry.replay = work.catch(() => undefined);
    return work;
  }

  /**
   * One replay (see addListenerSince). It stops where it is when the request is cancelled (the
   * listener it added is removed again) or the conversation ends (-32600, as when it ended before).
   */
  private async replay(entry: Entry, sinceSeq: number, signal?: AbortSignal): Promise<string> {
    const { conversation } = entry;
    // Ended while an earlier replay ran.
    if (this.entries.get(conversation.id) !== entry) throw new InvalidRequestError(`conversation not found: ${conversation.id}`);
    const log = conversation.events;
    entry.buffer.length = 0;
    const before = log.firstHeld;
    const held = log.heldAfter(sinceSeq);
    // Live events wait here until the replayed ones are out (the rollout is read, the output paced).
    const tail: ConversationEvent[] = [];
    entry.tail = tail;
    try {
      let recorded: ConversationEvent[] = [];
      if (sinceSeq + 1 < before) {
        try {
          conversation.rollout.flush();
          recorded = await recordedEvents().readRecordedEvents(conversation.rollout.path, sinceSeq + 1, before, this.config.rolloutMaxBytes);
        } catch (err) {
          this.log
            .child({ conversationId: conversation.id })
            .warn({ reason: (err as Error).message }, 'rollout events cannot be read; the replay starts at the oldest event in memory');
        }
        if (this.entries.get(conversation.id) !== entry) throw new InvalidRequestError(`conversation not found: ${conversation.id}`);
      }
      const subscriptionId = this.attach(entry);
      // Waiting for the client to read stops when it cancels the request or the conversation ends.
      const stop = anySignal(signal ? [signal, entry.ended.signal] : [entry.ended.signal]);
      try {
        for (const events of [recorded, held]) {
          for (const event of events) {
            const room = this.router.whenOutputBelow(REPLAY_OUTPUT_BYTES, stop.signal);
            if (room) await room;
            this.send(conversation.id, event);
          }
        }
      } catch (err) {
        // What is left is not sent, and the listener the client will not hear of goes.
        entry.listeners.delete(subscriptionId);
        this.subscriptions.delete(subscriptionId);
        throw err;
      } finally {
        stop.dispose();
      }
      return subscriptionId;
    } finally {
      entry.tail = undefined;
      if (this.entries.get(conversation.id) === entry) for (const event of tail) this.deliver(entry, event);
    }
  }

  private attach(entry: Entry): string {
    const conversationId = entry.conversation.id;
    const subscriptionId = randomUUID();
    entry.listeners.add(subscriptionId);
    this.subscriptions.set(subscriptionId, conversationId);
    if (entry.buffer.length > 0) {
      const buffered = entry.buffer.splice(0);
      for (const event of buffered) this.send(entry.conversation.id, event);
    }
    return subscriptionId;
  }

  removeListener(subscriptionId: string): void {
    const conversationId = this.subscriptions.get(subscriptionId);
    if (conversationId === undefined) throw new InvalidRequestError(`subscription not found: ${subscriptionId}`);
    this.subscriptions.delete(subscriptionId);
    this.entries.get(conversationId)?.listeners.delete(subscriptionId);
  }

  /** Ends every conversation: running turns are aborted, rollouts flushed and their locks released. */
  async shutdown(): Promise<void> {
    await Promise.allSettled(
      [...this.entries.values()].map(async (e) => {
        e.ended.abort(new Error('the server is shutting down'));
        await e.conversation.close();
        await e.lock?.release();
      }),
    );
  }

  /** Watches conversations being created, changed and archived; returns the unwatch function. */
  watch(fn: (change: ConversationChange) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** A conversation's rollout left sessions/ (archiveConversation). */
  noteArchived(conversationId: string): void {
    this.tell({ conversationId, kind: 'archived' });
  }

  private tell(change: ConversationChange): void {
    for (const fn of this.watchers) {
      try {
        fn(change);
      } catch (err) {
        this.log.warn({ reason: (err as Error).message }, 'conversation watcher failed');
      }
    }
  }

  private deliver(entry: Entry, event: ConversationEvent): void {
    if (entry.tail) entry.tail.push(event);
    else if (entry.listeners.size === 0) entry.buffer.push(event);
    else {
      this.send(entry.conversation.id, event);
      // The client waits on a live turn's end, and a command's or a patch's end is followed in the
      // same step by the next model request: they go out at once, not after the rest of this step.
      // (A replay's events go out in its slices; those that came during it are delivered here after it.)
      if (FLUSHED_EVENT_TYPES.has(event.msg.type)) this.outgoing.flush();
    }
  }

  private send(conversationId: string, event: ConversationEvent): void {
    this.outgoing.notify(CodexEvent[event.msg.type], { _meta: { seq: event.seq }, id: event.id, msg: event.msg, conversationId });
  }
}

/** What the rollout records of a conversation's settings (resumeConversation rebuilds conversations from it). */
export function settingsRecord(s: ConversationSettings): Record<string, unknown> {
  return {
    model: s.model,
    model_provider: s.provider.id,
    cwd: s.cwd,
    approval_policy: s.approvalPolicy,
    sandbox_policy: s.sandboxPolicy,
    // The built-in prompt is not repeated in every rollout; only a replacement is recorded.
    base_instructions: s.baseInstructions === BUILT_IN_INSTRUCTIONS ? null : s.baseInstructions,
    include_plan_tool: s.includePlanTool,
    include_apply_patch_tool: s.includeApplyPatchTool,
    reasoning_effort: s.reasoningEffort,
    reasoning_summary: s.reasoningSummary,
    profile: s.profile ?? null,
  };
}
