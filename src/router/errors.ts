/**
 * Typed errors and the one place they become JSON-RPC error objects.
 *
 * `AgentwireError` and its subclasses travel over the wire with their own code; `LocalError`
 * never does (timeouts, closed transports): if one escapes a handler it is an internal error.
 * Anything else thrown by a handler becomes -32603 with a generic message, so no stack trace
 * or secret reaches the client (WIRE.md §2, STYLE.md rule 8).
 */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;

export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * Marks errors meant for the wire. A registry symbol rather than `instanceof`, so an error made
 * by a plugin's own copy of agentwire is still recognised.
 */
const WIRE_ERROR = Symbol.for('agentwire:wire-error');

/** An error whose code and message are meant for the client. */
export class AgentwireError extends Error {
  readonly [WIRE_ERROR] = true;

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isAgentwireError(err: unknown): err is AgentwireError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[WIRE_ERROR] === true;
}

export class ParseError extends AgentwireError {
  constructor(message = 'Parse error') {
    super(ErrorCode.ParseError, message);
  }
}

/** -32600: a malformed envelope, and also 0.29's code for application errors such as `conversation not found: <id>`. */
export class InvalidRequestError extends AgentwireError {
  constructor(message = 'Invalid Request', data?: unknown) {
    super(ErrorCode.InvalidRequest, message, data);
  }
}

export class MethodNotFoundError extends AgentwireError {
  constructor(method: string) {
    super(ErrorCode.MethodNotFound, `Method not found: ${method}`);
  }
}

/** -32602 whose message and `data.errors` name each bad field. */
export class InvalidParamsError extends AgentwireError {
  constructor(
    message: string,
    readonly errors: string[] = [message],
  ) {
    super(ErrorCode.InvalidParams, message, { errors });
  }
}

/** -32603 with a message chosen to be safe for the client (0.29's texts such as `logout failed: ...`). */
export class InternalError extends AgentwireError {
  constructor(message = 'Internal error') {
    super(ErrorCode.InternalError, message);
  }
}

/** Errors that stay inside the process: never serialized as they are. */
export class LocalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class RequestTimeoutError extends LocalError {}
export class TransportClosedError extends LocalError {}
export class RequestAbortedError extends LocalError {}

/** The client answered one of our requests with a JSON-RPC error. */
export class PeerError extends LocalError {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** Maps anything a handler threw to the error object sent on the wire. */
export function toWireError(err: unknown): WireError {
  if (isAgentwireError(err)) {
    return err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data };
  }
  return { code: ErrorCode.InternalError, message: 'Internal error' };
}
