/**
 * How a method of the protocol is declared: its wire name, who sends it, the class its params are
 * turned into and validated as (class-validator: the single source of the shape, from which the
 * JSON Schema is generated too), the class(es) of its result, and the prose of docs/PROTOCOL.md.
 * The maps in methods.ts hold one declaration per method; handlers, outgoing requests and the
 * event notifier take these declarations, not strings, so a wrong shape is a compile error.
 */

/** A class whose instances are a shape of the protocol (params, result, event payload). */
export type ShapeClass<T = object> = new () => T;

/** One class, or several for a result that is one of them (`anyOf`). */
export type ResultShapes = ShapeClass | readonly ShapeClass[];

/**
 * A declaration's class(es), or an arrow function that returns them. methods.ts names most
 * classes this way, so that their modules (whose decorators cost start-up) are required when first
 * needed, not before the first reply (ARCHITECTURE.md, Start-up performance): the classes
 * agentwire only sends (results, the params of its own requests and notifications, conversation
 * events) when the schema generator asks, and the params class of a method it serves when the
 * router reads it at that method's first request (method.decorator.ts).
 */
export type Deferred<T> = T | (() => T);

/**
 * The class(es) of a declaration, called if given by a function. Tells the two apart by
 * `prototype`, which a class has and an arrow function does not: a deferred class must be given by
 * an arrow function (a `function` expression would be taken for the class itself).
 */
export function resolveShapes<T extends (new () => unknown) | readonly (new () => unknown)[]>(ref: Deferred<T>): T {
  return typeof ref === 'function' && !Object.prototype.hasOwnProperty.call(ref, 'prototype') ? (ref as () => T)() : (ref as T);
}

/** The instance type of a result declaration. */
export type InstanceOfShapes<S> = S extends () => infer R ? InstanceOfResult<R> : InstanceOfResult<S>;
type InstanceOfResult<S> = S extends readonly (infer C)[] ? (C extends ShapeClass<infer I> ? I : never) : S extends ShapeClass<infer I> ? I : never;

/**
 * The three protocols one connection may speak (docs/ARCHITECTURE.md, "Three eras"): codex 0.29's
 * methods, MCP with the `initialize` handshake, and stateless MCP 2026-07-28.
 */
export type Era = 'codex' | 'handshake' | 'modern';

/** Who sends the message: `incoming` from the client to agentwire, `outgoing` from agentwire. */
export type Direction = 'incoming' | 'outgoing';

interface SpecBase<Name extends string> {
  readonly name: Name;
  readonly direction: Direction;
  readonly eras: readonly Era[];
  /** The section of docs/PROTOCOL.md it is listed in. */
  readonly group: string;
  /** Hand-written prose for docs/PROTOCOL.md (the result column) and the schema's `description`. */
  readonly description: string;
  /** Prose for the params column of docs/PROTOCOL.md; without it the column lists the params class's members. */
  readonly paramsDoc?: string;
  /** Prose for the errors column of docs/PROTOCOL.md. */
  readonly errors?: string;
  /** The kind column of docs/PROTOCOL.md, when it says more than `request` / `notification` (e.g. the era). */
  readonly kindDoc?: string;
}

export interface RequestSpec<Name extends string = string, P = unknown, R = unknown> extends SpecBase<Name> {
  readonly kind: 'request';
  /** The class params are turned into and validated as; absent: params are ignored (passed on untouched). */
  readonly params?: Deferred<new () => P>;
  readonly result: Deferred<ResultShapes>;
  /** The params member must be present (an object); otherwise a missing one is validated as `{}`. */
  readonly paramsRequired?: boolean;
  /** Finish this request before the next message is dispatched (WIRE.md §1). */
  readonly ordered?: boolean;
  /** A stream that lasts until the client cancels it: shutdown does not wait for it. */
  readonly longLived?: boolean;
  /** Type-level only: the params and result types. */
  readonly __types?: { params: P; result: R };
}

export interface NotificationSpec<Name extends string = string, P = unknown> extends SpecBase<Name> {
  readonly kind: 'notification';
  readonly params?: Deferred<new () => P>;
  readonly __types?: { params: P };
}

export type ParamsOf<S> = S extends RequestSpec<string, infer P, unknown> ? P : S extends NotificationSpec<string, infer P> ? P : never;
export type ResultOf<S> = S extends RequestSpec<string, unknown, infer R> ? R : never;

type RequestInit<Name extends string, P, S extends Deferred<ResultShapes>> = Omit<RequestSpec<Name, P, unknown>, 'kind' | 'result' | '__types' | 'params'> & {
  params?: Deferred<new () => P>;
  result: S;
};

/** Declares a request. Without a params class the params are typed `unknown` (ignored by the handler). */
export function request<Name extends string, S extends Deferred<ResultShapes>, P = unknown>(init: RequestInit<Name, P, S>): RequestSpec<Name, P, InstanceOfShapes<S>> {
  return { kind: 'request', ...init };
}

/** Declares a notification. */
export function notification<Name extends string, P = unknown>(
  init: Omit<NotificationSpec<Name, P>, 'kind' | '__types' | 'params'> & { params?: Deferred<new () => P> },
): NotificationSpec<Name, P> {
  return { kind: 'notification', ...init };
}
