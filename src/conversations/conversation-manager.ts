import { inject, injectable, type InjectionToken } from 'tsyringe';
import { AgentwireConfig } from '../config/config';
import type { ConversationSettings } from '../config/conversation-settings';
import { deriveSettings, type ConversationParams } from '../config/derive-settings';
import { BUILT_IN_INSTRUCTIONS } from '../config/instructions';
import { LOGGER, type Logger } from '../logging/logger';
import type { ConversationEvent } from '../protocol/events';
import type { ResponseItem } from '../protocol/items';
import { InvalidRequestError } from '../router/errors';
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

interface Entry {
  conversation: Conversation;
  listeners: Set<string>;
  /** Events produced while no listener exists, delivered when one is added (WIRE.md §5.2). */
  buffer: ConversationEvent[];
  /** This process's right to append to the rollout, held until the conversation ends (rollout-lock.ts). */
  lock: RolloutLock | undefined;
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

  constructor(
    private readonly config: AgentwireConfig,
    private readonly model: ModelGateway,
    private readonly tools: AgentToolRegistry,
    private readonly outgoing: OutgoingRequests,
    private readonly groups: ProcessGroups,
    @inject(LOGGER) private readonly log: Logger,
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
    return conversation;
  }

  /**
   * Registers a conversation rebuilt from its rollout (resumeConversation, codex-reply after a
   * restart): its history is the recorded one, and its record goes on in the same file, whose
   * lock the caller took (and which the conversation now holds until it ends).
   */
  restore(id: string, settings: ConversationSettings, rollout: { path: string; items: ResponseItem[]; turnStarts: number[] }, lock: RolloutLock): Conversation {
    const recorder = RolloutRecorder.append(rollout.path, (err) =>
      this.log.child({ conversationId: id }).warn({ reason: err.message }, 'rollout file cannot be written; the conversation goes on without it'),
    );
    const conversation = this.register(id, settings, recorder, lock);
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
      if (starts.has(i)) recorder.turn({ submission_id: null, copied_from: history.sourceId });
      recorder.items([item]);
    });
    return conversation;
  }

  /** Ends a live conversation and forgets it (archiveConversation); false when it is not live. */
  async end(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
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

  private register(id: string, settings: ConversationSettings, rollout: RolloutRecorder, lock: RolloutLock | undefined): Conversation {
    const log = this.log.child({ conversationId: id });
    const entry: Entry = { listeners: new Set(), buffer: [], lock, conversation: undefined as unknown as Conversation };
    entry.conversation = new Conversation(id, settings, rollout, (event) => this.deliver(entry, event), {
      model: this.model,
      tools: this.tools,
      onError: (err) => log.error({ err }, 'turn step failed'),
      onTurnEnd: (turn, outcome, turnSettings) => {
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
        await e.conversation.close();
        await e.lock?.release();
      }),
    );
  }

  private deliver(entry: Entry, event: ConversationEvent): void {
    if (entry.listeners.size === 0) entry.buffer.push(event);
    else this.send(entry.conversation.id, event);
  }

  private send(conversationId: string, event: ConversationEvent): void {
    this.outgoing.notify(`codex/event/${event.msg.type}`, { id: event.id, msg: event.msg, conversationId });
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
