import { injectable, type InjectionToken } from 'tsyringe';
import { parseConversationUri } from '../protocol/resource-uris';
import { OutgoingRequests } from '../router/outgoing-requests';
import { ConversationManager, type ConversationChange } from './conversation-manager';
import { OutgoingNotification } from '../protocol/methods';
import type { ListenSend } from '../mcp/listen-sources';

/**
 * Who hears of conversation resources changing, and when. A subscribed URI gets
 * `notifications/resources/updated` when its conversation's rollout is appended to or its turn
 * state changes, coalesced to at most one per URI per event-loop turn: the rollout is written
 * once per turn step (deltas are never written), so that is at most one per step.
 * `notifications/resources/list_changed` goes out when a conversation is created or archived,
 * coalesced the same way.
 *
 * Each subscriber is a sink: the handshake era's (`resources/subscribe`, plain notifications, list
 * changes once the client has listed or subscribed) and each `subscriptions/listen` stream of the
 * modern era that asked for `resourcesListChanged` or `resourceSubscriptions` (its send adds the
 * stream's `_meta`).
 */
/** Who hears of conversation resources changing (the public RESOURCE_SUBSCRIPTIONS token). */
export const RESOURCE_SUBSCRIPTIONS: InjectionToken<ResourceSubscriptions> = Symbol.for('agentwire:ResourceSubscriptions');

@injectable()
export class ResourceSubscriptions {
  private readonly sinks = new Set<ResourceSink>();
  private readonly dirty = new Set<string>();
  private listChanged = false;
  private scheduled = false;
  private unwatch: (() => void) | undefined;
  /** The handshake era's subscriptions (resources/subscribe), one connection per process. */
  readonly direct: ResourceSink;

  constructor(
    private readonly conversations: ConversationManager,
    outgoing: OutgoingRequests,
  ) {
    this.direct = {
      uris: new Set(),
      listChanged: false,
      send: (spec, params) => outgoing.notify(spec, params),
    };
    this.sinks.add(this.direct);
  }

  /** Adds a subscriber (a listen stream); returns its removal. */
  add(sink: ResourceSink): () => void {
    this.sinks.add(sink);
    this.start();
    return () => this.sinks.delete(sink);
  }

  /** The handshake-era client listed resources: it hears of list changes from now on. */
  listedDirect(): void {
    this.direct.listChanged = true;
    this.start();
  }

  subscribe(uri: string): void {
    this.direct.uris.add(uri);
    this.direct.listChanged = true;
    this.start();
  }

  unsubscribe(uri: string): void {
    this.direct.uris.delete(uri);
  }

  /** Starts watching on the first subscription (list changes are told from then on too). */
  start(): void {
    this.unwatch ??= this.conversations.watch((change) => this.changed(change));
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private changed(change: ConversationChange): void {
    if (change.kind !== 'changed') this.listChanged = true;
    if (change.kind !== 'created') this.dirty.add(change.conversationId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const ids = new Set(this.dirty);
    this.dirty.clear();
    const list = this.listChanged;
    this.listChanged = false;
    for (const sink of this.sinks) {
      if (list && sink.listChanged) sink.send(OutgoingNotification.resourceListChanged, {});
      for (const uri of sink.uris) {
        const parsed = parseConversationUri(uri);
        if (!('problem' in parsed) && ids.has(parsed.conversationId)) sink.send(OutgoingNotification.resourceUpdated, { uri });
      }
    }
  }
}

/** One subscriber: the URIs it follows, whether it wants list changes, and how its notifications go out. */
export interface ResourceSink {
  uris: Set<string>;
  listChanged: boolean;
  send: ListenSend;
}
