import { injectable } from 'tsyringe';
import type { HandlerClass } from './handler';

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

/** Registers a class as the handler of a JSON-RPC method. It stores metadata and nothing else. */
export function Method(name: string, options: MethodOptions = {}): ClassDecorator {
  return (target) => {
    injectable()(target as unknown as new (...args: unknown[]) => unknown);
    Reflect.defineMetadata(METHOD_META, { ...options, name } satisfies MethodMetadata, target);
  };
}

/** Registers a class as the handler of a notification (no id, never answered). */
export function Notification(name: string, options: Omit<MethodOptions, 'notification' | 'ordered'> = {}): ClassDecorator {
  return Method(name, { ...options, notification: true });
}

export function readMethodMetadata(target: HandlerClass): MethodMetadata | undefined {
  return Reflect.getMetadata(METHOD_META, target) as MethodMetadata | undefined;
}
