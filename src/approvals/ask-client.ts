import type { ClientChannel } from '../mcp/client-channel';
import { PeerError, RequestTimeoutError, TransportClosedError } from '../router/errors';
import type { ApprovalOutcome } from './approval-requests';
import { toReviewDecision } from './review-decision';
import { OutgoingRequest } from '../protocol/methods';
import type { RequestSpec } from '../protocol/spec';

/**
 * Sends one approval request and maps whatever comes back to a decision, failing closed: an error
 * reply, a reply without a usable decision, a timeout, a closed connection, or (for
 * `elicitation/create`) a client that never declared the capability all mean `denied`, with the
 * reason in `problem` so the turn can say so in its events (WIRE.md §8.3, STYLE.md rule 12). Only an
 * aborted turn escapes as an error: the turn is ending.
 */
export async function askClient<P>(
  client: ClientChannel,
  target: RequestSpec<string, P, unknown> | string,
  params: P,
  options: { timeoutMs?: number; signal: AbortSignal },
): Promise<ApprovalOutcome> {
  const method = typeof target === 'string' ? target : target.name;
  if (method === OutgoingRequest.elicitationCreate.name && !client.supportsElicitation()) {
    return { decision: 'denied', problem: 'the client did not declare the elicitation capability, so the approval could not be asked' };
  }
  let raw: unknown;
  try {
    raw = await client.request(method, params, { timeoutMs: options.timeoutMs, signal: options.signal });
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    if (err instanceof PeerError) return { decision: 'denied', problem: `the client answered the approval request with an error (${err.code}: ${err.message})` };
    if (err instanceof RequestTimeoutError) return { decision: 'denied', problem: `the approval request got no answer within ${options.timeoutMs} ms` };
    if (err instanceof TransportClosedError) return { decision: 'denied', problem: 'the client connection closed before the approval was answered' };
    throw err;
  }
  const { decision, usable } = toReviewDecision(raw);
  return usable ? { decision } : { decision, problem: 'the approval reply carried no usable decision' };
}
