import 'reflect-metadata';
import { JSONRPCClient, JSONRPCServer, JSONRPCServerAndClient, type JSONRPCResponse } from 'json-rpc-2.0';
import type { CodexElicitationParams, ApplyPatchApprovalParams, ExecCommandApprovalParams } from '../protocol/approvals';
import type { ConversationEventParams, EventMsg, EventType, ToolCallEventParams } from '../protocol/events';
import { CodexEvent, IncomingNotification, IncomingRequest, OutgoingNotification, OutgoingRequest } from '../protocol/methods';
import type { ParamsOf, ResultOf } from '../protocol/spec';
import type { ReviewDecision } from '../protocol/values';
import { spawnConnection, streamConnection, type LineConnection, type SpawnTarget, type TransportPair } from './transport';

export { memoryTransportPair, type LineConnection, type SpawnTarget, type TransportPair } from './transport';

/**
 * agentwire's typed client (`agentwire/client`): requests, notifications and events typed from
 * the protocol's declarations (src/protocol/methods.ts), over a spawned server or any stream pair.
 *
 *   const client = connect({ command: 'agentwire', args: ['mcp'] });
 *   client.onApproval(async (request) => 'approved');
 *   client.onEvent('agent_message', (msg) => console.log(msg.message));
 *   const { conversationId } = await client.request('newConversation', { cwd: '/work' });
 */

type ByName<M> = { [K in keyof M as M[K] extends { name: infer N extends string } ? N : never]: M[K] };

/** Requests a client may send, by wire name. */
export type ClientRequests = ByName<typeof IncomingRequest>;
export type ClientRequestName = keyof ClientRequests;
/** Notifications a client may send, by wire name. */
export type ClientNotifications = ByName<typeof IncomingNotification>;
/** Notifications the server sends, by wire name (conversation events: onEvent). */
export type ServerNotifications = ByName<typeof OutgoingNotification>;

export type ApprovalRequest =
  | { kind: 'exec'; method: typeof OutgoingRequest.execCommandApproval.name; params: ExecCommandApprovalParams }
  | { kind: 'patch'; method: typeof OutgoingRequest.applyPatchApproval.name; params: ApplyPatchApprovalParams }
  | { kind: 'elicitation'; method: typeof OutgoingRequest.elicitationCreate.name; params: CodexElicitationParams };

/** Where an event came from: a conversation's listener (`codex/event/<type>`) or a running tool call (`codex/event`). */
export interface EventSource {
  /** The submission id. */
  id: string;
  conversationId?: string;
  /** The tools/call id, for an event of a `codex` / `codex-reply` call. */
  requestId?: string | number;
  seq?: number;
}

/** A JSON-RPC error reply to one of the client's requests. */
export class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface RequestOptions {
  /** `params._meta` (a progress token, the 2026-07-28 envelope). */
  meta?: Record<string, unknown>;
}

export class AgentwireClient {
  private readonly peer: JSONRPCServerAndClient<void, void>;
  private nextId = 1;
  private readonly eventListeners = new Map<string, Set<(msg: EventMsg, source: EventSource) => void>>();
  private readonly notificationListeners = new Map<string, Set<(params: unknown) => void>>();
  private approval?: (request: ApprovalRequest) => ReviewDecision | Promise<ReviewDecision>;
  /** Resolves once the server's output ends (the process exited or the stream closed). */
  readonly closed: Promise<void>;

  /** `firstId`: the id of the first request (a caller that also sends requests of its own keeps the ranges apart). */
  constructor(
    private readonly connection: LineConnection,
    options: { firstId?: number } = {},
  ) {
    this.nextId = options.firstId ?? 1;
    const send = (message: object) => connection.send(JSON.stringify(message));
    this.peer = new JSONRPCServerAndClient(
      new JSONRPCServer(),
      new JSONRPCClient(
        (request) => send(request),
        () => this.nextId++,
      ),
    );
    this.peer.server.addMethod(OutgoingRequest.execCommandApproval.name, (params) =>
      this.approve({ kind: 'exec', method: OutgoingRequest.execCommandApproval.name, params: params as ExecCommandApprovalParams }),
    );
    this.peer.server.addMethod(OutgoingRequest.applyPatchApproval.name, (params) =>
      this.approve({ kind: 'patch', method: OutgoingRequest.applyPatchApproval.name, params: params as ApplyPatchApprovalParams }),
    );
    this.peer.server.addMethod(OutgoingRequest.elicitationCreate.name, (params) =>
      this.approve({ kind: 'elicitation', method: OutgoingRequest.elicitationCreate.name, params: params as CodexElicitationParams }),
    );
    for (const spec of Object.values(CodexEvent)) {
      this.peer.server.addMethod(spec.name, (params) => this.event(params as ConversationEventParams, { conversationId: (params as ConversationEventParams).conversationId }));
    }
    this.peer.server.addMethod(OutgoingNotification.toolCallEvent.name, (params) => {
      const p = params as ToolCallEventParams;
      this.event(p, { requestId: p._meta?.requestId });
    });
    for (const spec of Object.values(OutgoingNotification)) {
      if (spec === OutgoingNotification.toolCallEvent) continue;
      this.peer.server.addMethod(spec.name, (params) => this.notificationListeners.get(spec.name)?.forEach((listener) => listener(params)));
    }
    connection.onLine((line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      void this.peer.receiveAndSend(message as never).catch(() => undefined);
    });
    this.closed = new Promise((resolve) => connection.onClose(resolve));
    void this.closed.then(() => this.peer.rejectAllPendingRequests('the server connection closed'));
  }

  /** The spawned server process, when `connect` started one. */
  get process() {
    return this.connection.process;
  }

  /** Sends a request; resolves with its result, rejects with RequestError for an error reply. */
  async request<M extends ClientRequestName>(method: M, params?: ParamsOf<ClientRequests[M]>, options: RequestOptions = {}): Promise<ResultOf<ClientRequests[M]>> {
    const response = await this.requestRaw(method, params, options);
    if (response.error) throw new RequestError(response.error.code, response.error.message, response.error.data);
    return response.result as ResultOf<ClientRequests[M]>;
  }

  /** Sends a request and resolves with the whole response (result or error). */
  async requestRaw<M extends ClientRequestName>(method: M, params?: ParamsOf<ClientRequests[M]>, options: RequestOptions = {}): Promise<JSONRPCResponse> {
    const withMeta = options.meta ? { ...(params as object | undefined), _meta: options.meta } : params;
    const request =
      withMeta === undefined ? { jsonrpc: '2.0' as const, id: this.nextId++, method } : { jsonrpc: '2.0' as const, id: this.nextId++, method, params: withMeta as never };
    return this.peer.client.requestAdvanced(request);
  }

  notify<M extends keyof ClientNotifications>(method: M, params?: ParamsOf<ClientNotifications[M]>): void {
    this.peer.client.notify(method, params);
  }

  /** `initialize` then `notifications/initialized` (handshake era); resolves with the initialize result. */
  async initialize(capabilities: Record<string, unknown> = { elicitation: {} }, clientInfo = { name: 'agentwire-client', version: '1' }) {
    const result = await this.request(IncomingRequest.initialize.name, { protocolVersion: '2025-06-18', capabilities, clientInfo });
    this.notify(IncomingNotification.initialized.name);
    return result;
  }

  /** Calls `handler` for each event of `type`, from a conversation's listener or a tool call; returns the unsubscribe. */
  onEvent<T extends EventType>(type: T, handler: (msg: Extract<EventMsg, { type: T }>, source: EventSource) => void): () => void {
    return this.listen(this.eventListeners, type, handler as (msg: EventMsg, source: EventSource) => void);
  }

  /** Calls `handler` for every event. */
  onAnyEvent(handler: (msg: EventMsg, source: EventSource) => void): () => void {
    return this.listen(this.eventListeners, '*', handler);
  }

  /** Calls `handler` for each server notification `method` (log messages, progress, auth changes, ...). */
  onNotification<M extends keyof ServerNotifications>(method: M, handler: (params: ParamsOf<ServerNotifications[M]>) => void): () => void {
    return this.listen(this.notificationListeners, method, handler as (params: unknown) => void);
  }

  /**
   * Answers the server's approval requests (`execCommandApproval`, `applyPatchApproval`,
   * `elicitation/create`). Without a handler every approval is answered `denied`.
   */
  onApproval(handler: (request: ApprovalRequest) => ReviewDecision | Promise<ReviewDecision>): void {
    this.approval = handler;
  }

  /** Ends the server's input and waits for the process (if spawned) to exit. */
  close(): Promise<void> {
    return this.connection.close();
  }

  private listen<F>(map: Map<string, Set<F>>, key: string, handler: F): () => void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  private event(params: { id: string; msg: EventMsg; _meta?: { seq?: number } }, source: Omit<EventSource, 'id'>): void {
    const full: EventSource = { id: params.id, seq: params._meta?.seq, ...source };
    for (const key of [params.msg.type, '*']) this.eventListeners.get(key)?.forEach((listener) => listener(params.msg, full));
  }

  private async approve(request: ApprovalRequest): Promise<Record<string, unknown>> {
    const decision = this.approval ? await this.approval(request) : 'denied';
    // An elicitation is answered the MCP way; codex's own requests with `{decision}` (WIRE.md §8).
    return request.kind === 'elicitation' ? { action: 'accept', content: { decision } } : { decision };
  }
}

/** Connects to a server: spawns `{command, args, env}`, or talks over a stream pair (memoryTransportPair().client). */
export function connect(target: SpawnTarget | TransportPair, options: { stderr?: 'inherit' | 'pipe' } = {}): AgentwireClient {
  const connection = 'command' in target ? spawnConnection(target, options) : streamConnection(target);
  return new AgentwireClient(connection);
}
