import { injectable, type InjectionToken } from 'tsyringe';
import { isRecord } from '../protocol/is-record';
import { OutgoingRequests, type OutgoingRequestOptions } from '../router/outgoing-requests';
import { ClientSession } from './client-session';

/** The `_meta` key under which a request of the stateless MCP era carries its own client capabilities (MCP-2026.md §3). */
export const REQUEST_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';

/** Which MCP era a request belongs to: capabilities declared once in `initialize`, or carried by each request. */
export type ClientEra = 'handshake' | 'stateless';

/** What a plugin needs to know about the request it serves; a RequestContext fits. */
export interface RequestMeta {
  readonly meta?: Record<string, unknown> | undefined;
}

/**
 * The client as plugins see it (the CLIENT token): requests and notifications to it, and what it
 * said it can do, per request and era. Built-in plugins use nothing else to talk to the client.
 */
export interface ClientChannel {
  /** The MCP version answered in `initialize` (the latest handshake version before it). */
  readonly protocolVersion: string;
  /** The era of a request: `stateless` when it carries its own capabilities in `_meta`. */
  era(request?: RequestMeta): ClientEra;
  /** The client's capabilities for a request: its own `_meta` ones in the stateless era, else those of `initialize`. */
  capabilities(request?: RequestMeta): Record<string, unknown>;
  /** The client declared `elicitation` (WIRE.md §8.3: required before `elicitation/create`). */
  supportsElicitation(request?: RequestMeta): boolean;
  /** Sends a request; resolves with the client's `result`, rejects with PeerError, RequestTimeoutError, ... */
  request<R = unknown>(method: string, params: unknown, options?: OutgoingRequestOptions): Promise<R>;
  /** Sends a notification; dropped once the connection is closed. */
  notify(method: string, params?: unknown): void;
}

export const CLIENT: InjectionToken<ClientChannel> = Symbol.for('agentwire:Client');

/** The ClientChannel of the one stdio connection: the router's outgoing half and the handshake's session. */
@injectable()
export class ConnectionClientChannel implements ClientChannel {
  constructor(
    private readonly outgoing: OutgoingRequests,
    private readonly session: ClientSession,
  ) {}

  get protocolVersion(): string {
    return this.session.protocolVersion;
  }

  era(request?: RequestMeta): ClientEra {
    return isRecord(request?.meta?.[REQUEST_CAPABILITIES_META]) ? 'stateless' : 'handshake';
  }

  capabilities(request?: RequestMeta): Record<string, unknown> {
    const own = request?.meta?.[REQUEST_CAPABILITIES_META];
    return isRecord(own) ? own : this.session.capabilities;
  }

  supportsElicitation(request?: RequestMeta): boolean {
    return isRecord(this.capabilities(request).elicitation);
  }

  request<R = unknown>(method: string, params: unknown, options?: OutgoingRequestOptions): Promise<R> {
    return this.outgoing.request<R>(method, params, options);
  }

  notify(method: string, params?: unknown): void {
    this.outgoing.notify(method, params);
  }
}
