import type { ConversationEvent, EventMsg } from '../protocol/events';
import { TURN_END_EVENT_TYPES, UNRECORDED_EVENT_TYPES } from '../protocol/event-types';
import type { RolloutRecorder } from './rollout-recorder';

/** Default `event_replay_buffer`: a long streamed answer (thousands of deltas) fits, and a few MB at most stay per conversation. */
export const DEFAULT_EVENT_REPLAY_BUFFER = 10_000;

/**
 * The numbered events of one conversation. Every event takes the next sequence number (1 for the
 * first one; after a resume, one more than the last number the rollout holds). The last
 * `capacity` events stay in a ring in memory, and every event except the streamed pieces
 * ({@link UNRECORDED_EVENT_TYPES}) is written to the rollout with its number, so that a client
 * can ask for the events after a number it has seen (addConversationListener's `sinceSeq`, the
 * `events` resource). The hot path (a delta) is one increment, one object and one array store.
 *
 * Written by hand: the ring is a dozen lines, and the numbering and recording rules are this
 * project's own.
 */
export class EventLog {
  private last: number;
  private readonly ring: ConversationEvent[] = [];
  /** Index in `ring` of the oldest event once the ring is full. */
  private head = 0;

  constructor(
    private readonly rollout: RolloutRecorder,
    private readonly capacity = DEFAULT_EVENT_REPLAY_BUFFER,
    lastSeq = 0,
  ) {
    this.last = lastSeq;
  }

  /** The number of the last event; 0 before the first. */
  get lastSeq(): number {
    return this.last;
  }

  /** The number of the oldest event still in the ring (lastSeq + 1 when the ring holds none). */
  get firstHeld(): number {
    return this.last - this.ring.length + 1;
  }

  /** Numbers an event, keeps it in the ring and records it (turn ends: on disk before the caller sends it). */
  append(id: string, msg: EventMsg): ConversationEvent {
    const event: ConversationEvent = { id, msg, seq: ++this.last };
    if (this.capacity > 0) {
      if (this.ring.length < this.capacity) this.ring.push(event);
      else {
        this.ring[this.head] = event;
        this.head = (this.head + 1) % this.capacity;
      }
    }
    if (!UNRECORDED_EVENT_TYPES.has(msg.type)) {
      this.rollout.event(event);
      if (TURN_END_EVENT_TYPES.has(msg.type)) this.rollout.endTurn(id);
    }
    return event;
  }

  /** The ring's events numbered above `since`, oldest first. */
  heldAfter(since: number): ConversationEvent[] {
    const skip = Math.max(0, since + 1 - this.firstHeld);
    const out: ConversationEvent[] = [];
    for (let i = skip; i < this.ring.length; i++) out.push(this.ring[(this.head + i) % this.ring.length]);
    return out;
  }
}
