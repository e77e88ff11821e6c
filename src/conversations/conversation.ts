import type { ConversationSettings } from '../config/conversation-settings';
import { formatUserInstructions } from '../config/instructions';
import { contextWindowFor } from '../config/model-families';
import type { ConversationEvent, EventMsg } from '../protocol/events';
import { type ResponseItem, userText } from '../protocol/items';
import type { AgentToolRegistry, TurnOrigin, TurnSettings } from './agent-tool';
import { EventLog } from './event-log';
import type { ModelGateway } from './model-gateway';
import type { RolloutRecorder } from './rollout-recorder';
import { Turn, environmentContextText, type TurnHost, type TurnOutcome } from './turn';

/** Where a conversation's events go. The manager delivers them to listeners (or buffers them). */
export type EventRoute = (event: ConversationEvent) => void;

/** Per-turn settings of `sendUserTurn` (WIRE.md §5.5); they last for that turn only. */
export type TurnOverrides = Partial<Pick<ConversationSettings, 'cwd' | 'approvalPolicy' | 'sandboxPolicy' | 'model' | 'reasoningEffort' | 'reasoningSummary'>>;

export interface SubmitOptions {
  overrides?: TurnOverrides;
  origin?: TurnOrigin;
  /** Events of this turn go here instead of the conversation's listeners (the `codex` tool). */
  route?: EventRoute;
  /** Use this id for the turn instead of taking the next one (the first `codex` tool turn uses the tools/call id). */
  submissionId?: string;
}

export interface Submitted {
  submissionId: string;
  /** The turn the input started, or the running one it was injected into. */
  turn: Turn;
  injected: boolean;
}

/**
 * One conversation: its settings, its history (shared by its turns), its submission counter and
 * its running turn, if any. Input sent while a turn runs is injected into that turn, as in 0.29.
 */
export class Conversation implements TurnHost {
  readonly history: ResponseItem[] = [];
  /** Index in `history` where each turn began (forkConversation cuts there). */
  readonly turnStarts: number[] = [];
  readonly approvedForSession = new Set<string>();
  private submissions = 0;
  private running?: Turn;
  private closed = false;
  /** The numbered events (sequence numbers, replay ring, event records of the rollout). */
  readonly events: EventLog;

  constructor(
    readonly id: string,
    readonly settings: ConversationSettings,
    readonly rollout: RolloutRecorder,
    private readonly route: EventRoute,
    private readonly deps: {
      model: ModelGateway;
      tools: AgentToolRegistry;
      onError: (err: unknown) => void;
      onTurnEnd?: (turn: Turn, outcome: TurnOutcome, settings: TurnSettings) => void;
      /** Size of the replay ring and the last event number the rollout holds (a resumed conversation). */
      events?: { capacity?: number; lastSeq?: number };
    },
  ) {
    this.events = new EventLog(rollout, deps.events?.capacity, deps.events?.lastSeq);
  }

  /** The first history items: the user-instructions block (if any) and the environment context (WIRE.md §9). */
  seedHistory(): void {
    const items: ResponseItem[] = [];
    if (this.settings.userInstructions) items.push(userText(formatUserInstructions(this.settings.userInstructions)));
    items.push(userText(environmentContextText(this.settings)));
    this.history.push(...items);
    this.rollout.items(items);
  }

  /**
   * The history of a conversation rebuilt from a rollout (or copied for a fork). Not recorded:
   * the items are in the file already, or the caller writes them itself.
   */
  restoreHistory(items: readonly ResponseItem[], turnStarts: readonly number[]): void {
    this.history.push(...items);
    this.turnStarts.push(...turnStarts);
  }

  /** Items added outside any turn (a new environment context after a resume), recorded. */
  appendItems(items: ResponseItem[]): void {
    this.history.push(...items);
    this.rollout.items(items);
  }

  get activeTurn(): Turn | undefined {
    return this.running;
  }

  takeSubmissionId(): string {
    return String(this.submissions++);
  }

  record(items: ResponseItem[]): void {
    this.rollout.items(items);
  }

  /** Queues user input: a new turn, or an injection into the running one. Every submission takes an id. */
  submit(input: ResponseItem[], options: SubmitOptions = {}): Submitted {
    if (this.closed) throw new Error('conversation is closed');
    const submissionId = options.submissionId ?? this.takeSubmissionId();
    if (this.running?.inject(input)) return { submissionId, turn: this.running, injected: true };
    const settings: TurnSettings = { ...this.settings, ...definedOnly(options.overrides ?? {}) };
    // A turn on another model reports that model's context window in task_started.
    if (settings.model !== this.settings.model) settings.modelContextWindow = contextWindowFor(settings.model);
    const route = options.route ?? this.route;
    // A turn that is closing takes no more input; the new one waits for it to end.
    const previous = this.running?.done;
    const turn = new Turn(this, submissionId, settings, input, options.origin ?? { kind: 'conversation' }, (id, msg) => route(this.events.append(id, msg)), this.deps, previous);
    this.running = turn;
    // No turn is running, so nothing else adds to the history before this turn's input does.
    this.turnStarts.push(this.history.length);
    this.rollout.turn(submissionId, { model: settings.model, cwd: settings.cwd, approval_policy: settings.approvalPolicy, sandbox_policy: settings.sandboxPolicy });
    void turn.done.then((outcome) => this.turnEnded(turn, outcome));
    return { submissionId, turn, injected: false };
  }

  /** Interrupts the running turn and resolves once its `turn_aborted` is out; at once when idle. */
  async interrupt(): Promise<void> {
    // An interrupt is a submission too, running turn or not (WIRE.md §6.1).
    this.takeSubmissionId();
    const turn = this.running;
    if (!turn) return;
    turn.abort('interrupted');
    await turn.done;
  }

  /** Numbers an event produced outside a turn (the codex tool's session_configured) and sends it along `route`. */
  emitOutsideTurn(id: string, msg: EventMsg, route: EventRoute): void {
    route(this.events.append(id, msg));
  }

  /** Ends the conversation: the running turn is aborted (its processes die with it). */
  async close(): Promise<void> {
    this.closed = true;
    const turn = this.running;
    turn?.abort('interrupted');
    await turn?.done;
    this.rollout.writeSettings();
    this.rollout.flush();
  }

  private turnEnded(turn: Turn, outcome: TurnOutcome): void {
    if (this.running === turn) {
      this.running = undefined;
      // Every way a turn ends sends a turn end event (EventLog); this also covers one that did not.
      this.rollout.endTurn(turn.submissionId);
    }
    this.deps.onTurnEnd?.(turn, outcome, turn.settings);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
