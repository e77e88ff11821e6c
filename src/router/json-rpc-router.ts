import { IncomingNotification } from '../protocol/methods';
import {
  JSONRPCClient,
  JSONRPCServer,
  JSONRPCServerAndClient,
  createJSONRPCErrorResponse,
  createJSONRPCSuccessResponse,
  type JSONRPCRequest,
  type JSONRPCResponse,
} from 'json-rpc-2.0';
import type { DependencyContainer } from 'tsyringe';
import type { Logger } from '../logging/logger';
import type { Transport } from '../transport/transport';
import { classify, isRecord, isValidId, type Envelope, type JsonRpcId } from './envelope';
import { ErrorCode, InvalidParamsError, MethodNotFoundError, isAgentwireError, toWireError } from './errors';
import { MAX_JSON_DEPTH, exceedsDepth } from './json-depth';
import { REQUEST_CONTEXT, type Handler, type RequestContext } from './handler';
import type { MethodMetadata } from './method.decorator';
import { OutgoingRequests } from './outgoing-requests';
import { prepareParams } from './params-validation';
import type { RequestGate } from './request-gate';

/** Two registrations for one method name. */
export class DuplicateMethodError extends Error {
  readonly code = 'AW_METHOD_DUPLICATE';
  constructor(method: string, first: string, second: string) {
    super(`method ${method} is registered by both ${first} and ${second}`);
  }
}

/** How to build the handler of one method inside a request's child container. */
export interface RouteDefinition {
  meta: MethodMetadata;
  /** Who registered it (a plugin name), for error messages. */
  owner: string;
  create(container: DependencyContainer): Handler;
}

interface EngineContext {
  ctx: RequestContext;
}

const CANCELLED_METHOD = IncomingNotification.cancelled.name;

/** The signal of notifications: they cannot be cancelled. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * A request's cancellation state. The AbortController is made only when a handler asks for the
 * signal: most requests (ping, getAuthStatus) never do, and a controller with its signal is a
 * good part of what a request allocates.
 */
class Cancellation {
  private controller?: AbortController;
  private reason?: Error;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
/**
 * Messages that arrive while an `ordered` request runs wait in the backlog; past this many, input
 * is held until the backlog is down to half. Ordered requests never wait on the client, so holding
 * input behind them cannot deadlock. (Requests running concurrently are not capped this way: one
 * may be waiting for the client's answer to an approval, which would then never be read.)
 */
const BACKLOG_HOLD = 1024;
/** How many cancels for not-yet-dispatched ids are remembered (vscode-jsonrpc's knownCanceledRequests). */
const EARLY_CANCEL_LIMIT = 1024;

/**
 * The router: envelope checks, ordering, cancellation, params validation and error mapping, around
 * the json-rpc-2.0 engine used in both directions (JSONRPCServerAndClient). One instance per
 * connection.
 */
export class JsonRpcRouter {
  readonly outgoing: OutgoingRequests;
  private readonly engine: JSONRPCServerAndClient<EngineContext, void>;
  private readonly routes = new Map<string, RouteDefinition>();
  private readonly notificationRoutes = new Map<string, RouteDefinition>();
  private readonly inFlight = new Map<JsonRpcId, Cancellation>();
  private readonly cancelled = new Set<JsonRpcId>();
  private readonly earlyCancels = new Set<JsonRpcId>();
  private readonly running = new Set<Promise<unknown>>();
  private transport?: Transport;
  private blockedBy: Promise<unknown> | null = null;
  private readonly backlog: Envelope[] = [];
  private inputHeld = false;
  private nextOutgoingId = 0;
  private closed = false;
  private gate?: RequestGate;
  private requestScopes?: DependencyContainer;

  constructor(
    private readonly container: DependencyContainer,
    private readonly log: Logger,
  ) {
    const server = new JSONRPCServer<EngineContext>({ errorListener: () => undefined });
    const client = new JSONRPCClient<void>(
      (payload) => this.write(payload),
      () => this.nextOutgoingId++,
    );
    this.engine = new JSONRPCServerAndClient(server, client, { errorListener: () => undefined });
    server.mapErrorToJSONRPCErrorResponse = (id, err) => {
      const wire = toWireError(err);
      if (!isAgentwireError(err)) this.log.error({ err, id }, 'handler failed');
      return createJSONRPCErrorResponse(id, wire.code, wire.message, wire.data);
    };
    server.handleMethodNotFound = async (request: JSONRPCRequest) =>
      createJSONRPCErrorResponse(request.id ?? null, ErrorCode.MethodNotFound, new MethodNotFoundError(request.method).message);
    this.outgoing = new OutgoingRequests(
      client,
      () => this.nextOutgoingId++,
      (message) => this.write(message),
      () => this.transport?.flush(),
    );
  }

  /** Adds a request or notification handler; a second one for the same name is refused, never swapped in. */
  add(route: RouteDefinition): void {
    if (route.meta.name === CANCELLED_METHOD) {
      throw new DuplicateMethodError(CANCELLED_METHOD, 'the router', route.owner);
    }
    const table = route.meta.notification ? this.notificationRoutes : this.routes;
    const existing = table.get(route.meta.name);
    if (existing) throw new DuplicateMethodError(route.meta.name, existing.owner, route.owner);
    table.set(route.meta.name, route);
    if (!route.meta.notification) {
      this.engine.addMethodAdvanced(route.meta.name, (request, engineCtx) => this.run(route, request, engineCtx.ctx));
    }
  }

  /** Installs the era gate (src/mcp/era/): every request, notification, result and outgoing message passes it. */
  useGate(gate: RequestGate): void {
    this.gate = gate;
  }

  /** The methods served, for docs and `--help`. */
  methods(): { requests: string[]; notifications: string[] } {
    return { requests: [...this.routes.keys()], notifications: [...this.notificationRoutes.keys()] };
  }

  hasMethod(name: string): boolean {
    return this.routes.has(name) || this.notificationRoutes.has(name);
  }

  /** Connects a transport: its lines come in here, our messages go out through it. */
  connect(transport: Transport, onClose: (reason: string) => void): void {
    this.transport = transport;
    transport.start({
      onLine: (line, problem) => this.receiveLine(line, problem),
      onClose,
    });
  }

  /** See Transport.whenOutputBelow; undefined before a transport is connected. */
  whenOutputBelow(bytes: number, signal?: AbortSignal): Promise<void> | undefined {
    return this.transport?.whenOutputBelow?.(bytes, signal);
  }

  /** Handles one line of input. */
  receiveLine(line: string | undefined, problem?: string): void {
    if (this.closed) return;
    if (line === undefined) {
      this.log.warn({ problem }, 'unreadable input line');
      this.writeError(null, ErrorCode.ParseError, 'Parse error');
      return;
    }
    if (line.trim() === '') return; // blank lines are ignored (WIRE.md §1)
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.log.debug('input line is not JSON');
      this.writeError(null, ErrorCode.ParseError, 'Parse error');
      return;
    }
    this.receive(value);
  }

  /** Handles one parsed message. */
  receive(value: unknown): void {
    const envelope = classify(value);
    // A cancel is acted on at once, even while an ordered request holds the queue.
    if (envelope.kind === 'notification' && envelope.method === CANCELLED_METHOD) {
      if (envelope.validVersion) this.cancel(envelope.params);
      return;
    }
    if (envelope.kind === 'response') {
      // Replies without a `jsonrpc` member are accepted: the engine would drop them and our request would hang.
      let reply = { ...envelope.message, jsonrpc: '2.0' } as unknown as JSONRPCResponse;
      if (exceedsDepth(envelope.message.result) || exceedsDepth(envelope.message.error)) {
        // Whoever waits for this reply gets an error instead of a value its code could not walk.
        this.log.warn({ id: envelope.id }, `client reply nested too deep (limit ${MAX_JSON_DEPTH})`);
        reply = createJSONRPCErrorResponse(envelope.id, ErrorCode.InvalidRequest, `reply nested too deep (limit ${MAX_JSON_DEPTH} levels)`);
      }
      void this.engine.receiveAndSend(reply, undefined as never).then(undefined, () => undefined);
      return;
    }
    if (this.blockedBy) {
      this.backlog.push(envelope);
      if (!this.inputHeld && this.backlog.length >= BACKLOG_HOLD) this.holdInput(true);
      return;
    }
    this.dispatch(envelope);
  }

  /** Waits for the requests still running, at most `ms`; returns whether all finished. */
  async drain(ms: number): Promise<boolean> {
    if (this.running.size === 0 && this.backlog.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const settle = async (): Promise<true> => {
      while (this.running.size > 0 || this.backlog.length > 0) await Promise.allSettled([...this.running]);
      return true;
    };
    try {
      return await Promise.race([settle(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts everything in flight and stops answering; pending server requests fail. */
  close(reason: string): void {
    if (this.closed) return;
    for (const cancellation of this.inFlight.values()) cancellation.abort(new Error(reason));
    this.outgoing.close();
    this.transport?.flush();
    this.closed = true;
  }

  private dispatch(envelope: Envelope): void {
    switch (envelope.kind) {
      case 'invalid':
        this.log.debug({ reason: envelope.reason }, 'invalid request');
        this.writeError(envelope.id, ErrorCode.InvalidRequest, envelope.reason);
        return;
      case 'notification':
        this.notify(envelope.method, envelope.params, envelope.validVersion);
        return;
      case 'request':
        this.request(envelope.id, envelope.method, envelope.message);
        return;
      case 'response':
        return; // handled in receive()
    }
  }

  private request(id: JsonRpcId, method: string, message: Record<string, unknown>): void {
    const route = this.routes.get(method);
    const verdict = this.gate?.admitRequest(method, message.params, route !== undefined);
    if (verdict && 'error' in verdict) {
      this.write({ jsonrpc: '2.0', id, error: verdict.error });
      return;
    }
    const cancellation = new Cancellation();
    if (this.earlyCancels.delete(id)) {
      cancellation.abort(new Error('cancelled by the client'));
      this.cancelled.add(id);
    }
    this.inFlight.set(id, cancellation);
    const ctx: RequestContext = {
      id,
      method,
      get signal() {
        return cancellation.signal;
      },
      meta: isRecord(message.params) && isRecord(message.params._meta) ? message.params._meta : undefined,
      outgoing: this.outgoing,
      protocol: verdict?.protocol,
    };
    const done = this.engine
      .receiveAndSend(message as unknown as JSONRPCRequest, { ctx })
      .then(undefined, (err: unknown) => this.log.error({ err, method }, 'request failed outside its handler'))
      .finally(() => {
        if (this.inFlight.get(id) === cancellation) this.inFlight.delete(id);
        this.running.delete(done);
      });
    // A long-lived stream ends only when the client cancels it; shutdown aborts it instead of waiting.
    if (!route?.meta.longLived) this.running.add(done);
    if (route?.meta.ordered) this.holdUntil(done);
  }

  /** Runs one route: child container, params, handler. Errors are mapped by the engine's error hook. */
  private async run(route: RouteDefinition, request: JSONRPCRequest, ctx: RequestContext): Promise<JSONRPCResponse | null> {
    if (exceedsDepth(request.params)) throw tooDeep();
    const { params } = prepareParams(route.meta, request.params);
    const result = (await route.create(this.requestContainer(ctx)).handle(params, ctx)) ?? {};
    const finished = this.gate ? this.gate.finishResult(route.meta.name, result, ctx) : result;
    return request.id === undefined ? null : createJSONRPCSuccessResponse(request.id, finished);
  }

  /**
   * A request's own child container, holding its REQUEST_CONTEXT. tsyringe's createChildContainer scans every
   * registration of the container it is called on (to copy the container-scoped ones), which made it the largest
   * single cost of a small request such as getAuthStatus. So request containers are children of one intermediate
   * child, made at the first request (plugins have registered by then): its registry holds only the copies of the
   * container-scoped registrations, which each request container copies again, so they stay per request; every
   * other token is found through the parent chain as before.
   */
  private requestContainer(ctx: RequestContext): DependencyContainer {
    this.requestScopes ??= this.container.createChildContainer();
    const child = this.requestScopes.createChildContainer();
    child.register(REQUEST_CONTEXT, { useValue: ctx });
    return child;
  }

  private notify(method: string, params: unknown, validVersion: boolean): void {
    const route = this.notificationRoutes.get(method);
    if (!validVersion || !route || (this.gate && !this.gate.admitNotification(method, params))) {
      this.log.debug({ method, validVersion }, 'notification ignored');
      return;
    }
    const ctx: RequestContext = {
      id: undefined,
      method,
      signal: NEVER_ABORTED,
      meta: isRecord(params) && isRecord(params._meta) ? params._meta : undefined,
      outgoing: this.outgoing,
    };
    if (exceedsDepth(params)) {
      this.log.warn({ method }, `notification ignored: ${tooDeep().message}`);
      return;
    }
    const done = (async () => {
      const prepared = prepareParams(route.meta, params);
      await route.create(this.requestContainer(ctx)).handle(prepared.params, ctx);
    })()
      .catch((err: unknown) => this.log.warn({ err: describe(err), method }, 'notification handler failed'))
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** `notifications/cancelled`: abort the named request; its reply, if any, is never sent (MCP). */
  private cancel(params: unknown): void {
    if (!isRecord(params) || !isValidId(params.requestId)) return;
    const id = params.requestId;
    const cancellation = this.inFlight.get(id);
    if (cancellation) {
      this.cancelled.add(id);
      cancellation.abort(new Error(typeof params.reason === 'string' ? params.reason : 'cancelled by the client'));
      return;
    }
    if (this.blockedBy) {
      if (this.earlyCancels.size >= EARLY_CANCEL_LIMIT) this.earlyCancels.clear();
      this.earlyCancels.add(id);
    }
  }

  private holdUntil(done: Promise<unknown>): void {
    this.blockedBy = done;
    void done.then(() => {
      this.blockedBy = null;
      while (this.backlog.length > 0 && !this.blockedBy) this.dispatch(this.backlog.shift()!);
      if (this.inputHeld && this.backlog.length <= BACKLOG_HOLD / 2) this.holdInput(false);
    });
  }

  private holdInput(held: boolean): void {
    this.inputHeld = held;
    this.transport?.holdInput(held);
  }

  private write(payload: unknown): void {
    if (this.closed || !this.transport) return;
    if (isRecord(payload) && ('result' in payload || 'error' in payload) && isValidId(payload.id)) {
      if (this.cancelled.delete(payload.id)) return; // a cancelled request gets no reply
    }
    if (this.gate && isRecord(payload) && !this.gate.allowOutgoing(payload)) {
      this.log.debug({ method: payload.method }, 'message not sent: the era of the connection does not allow it');
      // A request of ours that may not go out fails at once instead of waiting for a reply that cannot come.
      if (typeof payload.method === 'string' && isValidId(payload.id)) {
        const refusal = createJSONRPCErrorResponse(payload.id, ErrorCode.MethodNotFound, `${payload.method} cannot be sent in this protocol era`);
        queueMicrotask(() => void this.engine.receiveAndSend(refusal, undefined as never).then(undefined, () => undefined));
      }
      return;
    }
    this.transport.send(JSON.stringify(payload));
  }

  private writeError(id: JsonRpcId | null, code: number, message: string): void {
    this.write({ jsonrpc: '2.0', id, error: { code, message } });
  }
}

/** Checked before validation, whose recursive walk would overflow the stack (see json-depth.ts). */
function tooDeep(): InvalidParamsError {
  return new InvalidParamsError(`Invalid params: params nested too deep (limit ${MAX_JSON_DEPTH} levels)`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
