import { injectable } from 'tsyringe';
import { resolveShapes, type NotificationSpec, type RequestSpec } from '../protocol/spec';
import type { Handler, HandlerClass } from './handler';

/**
 * Metadata key. A registry symbol (`Symbol.for`), so a plugin compiled against another copy of
 * agentwire still marks its classes in a way this copy reads.
 */
export const METHOD_META = Symbol.for('agentwire:method');

/** A params class: plain JSON is turned into it (class-transformer) and validated (class-validator). */
export type ParamsClass = new () => object;

export interface MethodOptions {
  /** The class the params are turned into and validated as; omit to receive params untouched. */
  params?: ParamsClass;
  /** The params member must be present (an object). Otherwise a missing one is validated as `{}`. */
  paramsRequired?: boolean;
  /** Finish this request before the next message is dispatched (only newConversation, WIRE.md §1). */
  ordered?: boolean;
  /** A notification handler: it gets no id and its result is never sent. */
  notification?: boolean;
  /** A stream that lasts until the client cancels it (subscriptions/listen): shutdown does not wait for it. */
  longLived?: boolean;
}

export interface MethodMetadata extends MethodOptions {
  name: string;
}

/** A handler class whose `handle` takes `P` and returns `R`: the compiler checks it against the declaration. */
type HandlerOf<P, R> = new (...args: any[]) => Handler<P, R>;

function mark(target: object, meta: MethodMetadata): void {
  injectable()(target as unknown as new (...args: unknown[]) => unknown);
  Reflect.defineMetadata(METHOD_META, meta, target);
}

/**
 * Registers a class as the handler of a request declared in src/protocol/ (`@Method(IncomingRequest.ping)`):
 * name, params class and options come from the declaration, and the class's `handle` must take
 * its params type and return its result type. A plugin's own method, outside the protocol, may be
 * declared with `request({...})` from src/protocol/spec or named by a string (untyped).
 */
export function Method<P, R>(spec: RequestSpec<string, P, R>): (target: HandlerOf<P, R>) => void;
export function Method(name: string, options?: MethodOptions): ClassDecorator;
export function Method(spec: string | RequestSpec<string, unknown, unknown>, options: MethodOptions = {}): (target: object) => void {
  if (typeof spec === 'string') return (target) => mark(target, { ...options, name: spec });
  const { name, paramsRequired, ordered, longLived } = spec;
  return (target) => mark(target, withParamsOf(spec, { name, paramsRequired, ordered, longLived }));
}

/** Registers a class as the handler of a notification (no id, never answered). */
export function Notification<P>(spec: NotificationSpec<string, P>): (target: HandlerOf<P, unknown>) => void;
export function Notification(name: string, options?: Omit<MethodOptions, 'notification' | 'ordered'>): ClassDecorator;
export function Notification(spec: string | NotificationSpec<string, unknown>, options: Omit<MethodOptions, 'notification' | 'ordered'> = {}): (target: object) => void {
  if (typeof spec === 'string') return (target) => mark(target, { ...options, name: spec, notification: true });
  return (target) => mark(target, withParamsOf(spec, { name: spec.name, notification: true }));
}

/**
 * The metadata with the declaration's params class, resolved when it is first read (the router,
 * at the method's first request): a class the declaration names through an arrow function
 * (`Deferred`) then has its module loaded at that point, not when the handler class is declared
 * at start-up.
 */
function withParamsOf(spec: RequestSpec<string, unknown, unknown> | NotificationSpec<string, unknown>, meta: MethodMetadata): MethodMetadata {
  const declared = spec.params;
  if (declared === undefined) return meta;
  // Read or written once, it becomes the plain data property it was before (a plugin may still assign it).
  const settle = (value: ParamsClass | undefined): ParamsClass | undefined => {
    Object.defineProperty(meta, 'params', { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  return Object.defineProperty(meta, 'params', {
    enumerable: true,
    configurable: true,
    get: () => {
      const resolved: unknown = resolveShapes(declared);
      if (typeof resolved !== 'function') throw new TypeError(`the params class of ${meta.name} is not a class (${typeof resolved})`);
      return settle(resolved as ParamsClass);
    },
    set: settle,
  });
}

export function readMethodMetadata(target: HandlerClass): MethodMetadata | undefined {
  return Reflect.getMetadata(METHOD_META, target) as MethodMetadata | undefined;
}
