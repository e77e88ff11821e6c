import sinon from 'sinon';
import type { RequestContext } from '../../src/router/handler';
import { OutgoingRequests } from '../../src/router/outgoing-requests';

/** A request context for calling a handler directly: a live signal and a stubbed OutgoingRequests. */
export function requestContext(over: Partial<RequestContext> = {}): RequestContext {
  return {
    id: 1,
    method: 'test',
    signal: new AbortController().signal,
    meta: undefined,
    outgoing: sinon.createStubInstance(OutgoingRequests),
    ...over,
  };
}
