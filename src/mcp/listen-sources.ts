import type { InjectionToken } from 'tsyringe';
import type { SubscriptionFilterParams } from '../protocol/mcp-2026';
import type { NotificationSpec } from '../protocol/spec';

/** What a source honours of a listen filter, and how to stop it. */
export interface ListenGrant {
  honoured: { resourcesListChanged?: boolean; resourceSubscriptions?: string[] };
  stop(): void;
}

/**
 * A feature that can feed `subscriptions/listen` streams beyond tool-list changes (the resources
 * plugin: `resourcesListChanged`, `resourceSubscriptions`). Given the filter and the stream's send
 * function (which adds the stream's `_meta`), it starts what it honours, or returns undefined.
 */
/** Sends one notification on a listen stream (the stream adds its `_meta`). */
export type ListenSend = <P extends object>(spec: NotificationSpec<string, P>, params: P) => void;

export type ListenSource = (filter: SubscriptionFilterParams, send: ListenSend) => ListenGrant | undefined;

/** The listen sources plugins added (a container singleton); the listen handler asks each one. */
export class ListenSources {
  private readonly sources: ListenSource[] = [];

  add(source: ListenSource): void {
    this.sources.push(source);
  }

  /** Starts every source on a filter; the honoured parts merged, and one stop for all. */
  open(filter: SubscriptionFilterParams, send: ListenSend): ListenGrant {
    const grants = this.sources.map((source) => source(filter, send)).filter((g): g is ListenGrant => g !== undefined);
    return {
      honoured: Object.assign({}, ...grants.map((g) => g.honoured)) as ListenGrant['honoured'],
      stop: () => grants.forEach((g) => g.stop()),
    };
  }
}

/** Where a plugin adds a {@link ListenSource} (the public LISTEN_SOURCES token). */
export const LISTEN_SOURCES: InjectionToken<ListenSources> = Symbol.for('agentwire:ListenSources');
