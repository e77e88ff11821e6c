import { injectable, type InjectionToken } from 'tsyringe';
import { isRecord } from '../protocol/is-record';
import { OutgoingRequests, type OutgoingRequestOptions } from '../router/outgoing-requests';
import type { RequestProtocol } from '../router/request-protocol';
import { ClientSession } from './client-session';
import { ConnectionEra, type EraState } from './era/connection-era';
import { allowsFormElicitation } from './mrtr/suspended-runs';
import type { NotificationSpec, RequestSpec } from '../protocol/spec';

/**
 * The MCP era of a request (docs/PROTOCOL.md, "Three eras"): `handshake` (codex 0.29 and MCP up to
 * 2025-11-25, capabilities declared once in `initialize`) or `modern` (MCP 2026-07-28, each request
 * carries its own capabilities, and the server sends no requests of its own).
 */
export type ClientEra = 'handshake' | 'modern';

/** What the client channel needs to know about the request a plugin serves; a RequestContext fits. */
export interface RequestMeta {
  /** The era the EraGate admitted the request in, with a modern request's own capabilities. */
  readonly protocol?: RequestProtocol;
}

/**
 * The client as plugins see it (the CLIENT token): requests and notifications to it, and what it
 * said it can do, per request and era. Built-in plugins use nothing else to talk to the client.
 */
export interface ClientChannel {
  /** The MCP version answered in `initialize` (the latest handshake version before it). */
  readonly protocolVersion: string;
  /**
   * The handshake is complete: `initialize` answered and `notifications/initialized` received.
   * Until then the server sends no notification of its own (MCP lifecycle); always false in the
   * modern era, which has no handshake.
   */
  readonly initialized: boolean;
  /** The era of the connection: `undecided` until its first request, then locked by the EraGate for the process. */
  readonly connectionEra: EraState;
  /** The era of a request (as the EraGate admitted it); without one, the connection's (`handshake` while undecided). */
  era(request?: RequestMeta): ClientEra;
  /**
   * The client's capabilities for a request: a modern request's own `_meta` capabilities, else those
   * of `initialize`. A modern connection never remembers capabilities, so without a request it has none.
   */
  capabilities(request?: RequestMeta): Record<string, unknown>;
  /**
   * The client can be asked a form elicitation: it declared `elicitation` in `initialize` (WIRE.md
   * §8.3), or, in the modern era, the request's capabilities allow form mode (MCP-2026.md §5).
   */
  supportsElicitation(request?: RequestMeta): boolean;
  /**
   * Sends a request; resolves with the client's `result`, rejects with PeerError, RequestTimeoutError, ...
   * In the modern era every server-to-client request fails at once with a PeerError (-32601).
   */
  request<P, R>(spec: RequestSpec<string, P, R>, params: P, options?: OutgoingRequestOptions): Promise<R>;
  /** An untyped request: a plugin's own method, outside the protocol's declarations (src/protocol/). */
  request<R = unknown>(method: string, params: unknown, options?: OutgoingRequestOptions): Promise<R>;
  /** Sends a notification; dropped once the connection is closed, or when the era does not allow it. */
  notify<P>(spec: NotificationSpec<string, P>, params: P): void;
  /** An untyped notification: a plugin's own method, outside the protocol's declarations. */
  notify(method: string, params?: unknown): void;
}

export const CLIENT: InjectionToken<ClientChannel> = Symbol.for('agentwire:Client');

/** The ClientChannel of the one stdio connection: the router's outgoing half, the handshake's session and the connection's era. */
@injectable()
export class ConnectionClientChannel implements ClientChannel {
  constructor(
    private readonly outgoing: OutgoingRequests,
    private readonly session: ClientSession,
    private readonly connection: ConnectionEra,
  ) {}

  get protocolVersion(): string {
    return this.session.protocolVersion;
  }

  get initialized(): boolean {
    return this.session.isInitialized;
  }

  get connectionEra(): EraState {
    return this.connection.current;
  }

  era(request?: RequestMeta): ClientEra {
    if (request?.protocol) return request.protocol.era;
    return this.connection.current === 'modern' ? 'modern' : 'handshake';
  }

  capabilities(request?: RequestMeta): Record<string, unknown> {
    if (request?.protocol?.era === 'modern') return request.protocol.clientCapabilities;
    return this.era(request) === 'modern' ? {} : this.session.capabilities;
  }

  supportsElicitation(request?: RequestMeta): boolean {
    const capabilities = this.capabilities(request);
    return this.era(request) === 'modern' ? allowsFormElicitation(capabilities) : isRecord(capabilities.elicitation);
  }

  request<P, R>(spec: RequestSpec<string, P, R>, params: P, options?: OutgoingRequestOptions): Promise<R>;
  request<R = unknown>(method: string, params: unknown, options?: OutgoingRequestOptions): Promise<R>;
  request(target: string | RequestSpec<string, unknown, unknown>, params: unknown, options?: OutgoingRequestOptions): Promise<unknown> {
    return this.outgoing.request(typeof target === 'string' ? target : target.name, params, options);
  }

  notify<P>(spec: NotificationSpec<string, P>, params: P): void;
  notify(method: string, params?: unknown): void;
  notify(target: string | NotificationSpec<string, unknown>, params?: unknown): void {
    this.outgoing.notify(typeof target === 'string' ? target : target.name, params);
  }
}
