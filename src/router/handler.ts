import type { InjectionToken } from 'tsyringe';
import type { JsonRpcId } from './envelope';
import type { OutgoingRequests } from './outgoing-requests';
import type { RequestProtocol } from './request-protocol';

/** What every handler gets besides its params: who asked, and a signal that fires on cancel or shutdown. */
export interface RequestContext {
  /** The request id; undefined for notifications. */
  readonly id: JsonRpcId | undefined;
  readonly method: string;
  /** Aborted by `notifications/cancelled` for this id, or when the transport closes. */
  readonly signal: AbortSignal;
  /** The request's `params._meta`, taken off before validation (MCP allows it on every request). */
  readonly meta: Record<string, unknown> | undefined;
  /** Requests and notifications to the client. */
  readonly outgoing: OutgoingRequests;
  /** The era the request was admitted in (set by the router's RequestGate; absent without one). */
  readonly protocol?: RequestProtocol;
}

/** The current request's context, registered in each request's child container. */
export const REQUEST_CONTEXT: InjectionToken<RequestContext> = Symbol.for('agentwire:RequestContext');

/** A request handler: resolved per request from a child container, so it may inject request-scoped services. */
export interface Handler<P = unknown, R = unknown> {
  handle(params: P, ctx: RequestContext): R | Promise<R>;
}

/** A class that builds a handler; its constructor parameters are injected. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler names its own params and result types; the router validates params first
export type HandlerClass = new (...args: any[]) => Handler<any, any>;
