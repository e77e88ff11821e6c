import type { WireError } from './errors';
import type { RequestContext } from './handler';
import type { RequestProtocol } from './request-protocol';

export type GateVerdict = { error: WireError } | { protocol: RequestProtocol };

/**
 * The router's one hook for protocol eras (docs/ARCHITECTURE.md, "Eras"): it admits or refuses
 * each incoming message before any handler runs, finishes each result, and vets each message
 * before it reaches stdout. The router knows nothing of eras beyond this interface; the decision
 * itself lives in src/mcp/era/.
 */
export interface RequestGate {
  /** A request: refused with an error, or admitted with the protocol it speaks. */
  admitRequest(method: string, params: unknown, served: boolean): GateVerdict;
  /** A notification: false drops it (logged at debug level). */
  admitNotification(method: string, params: unknown): boolean;
  /** A handler's result, as it goes out (`resultType`, `_meta`, cache hints in the modern era). */
  finishResult(method: string, result: unknown, ctx: RequestContext): unknown;
  /** A message about to be written; false drops it (nothing unrequested reaches a modern client). */
  allowOutgoing(message: Record<string, unknown>): boolean;
}
