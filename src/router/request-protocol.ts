/**
 * What a request was sent as: the era of the connection, and for modern requests their own envelope.
 * Set on each RequestContext by the router's RequestGate (its own module so that handler.ts and
 * request-gate.ts, which use each other's types, do not import each other).
 */
export type RequestProtocol =
  | { era: 'handshake' }
  | {
      era: 'modern';
      /** `io.modelcontextprotocol/clientCapabilities` of this request (never an earlier one). */
      clientCapabilities: Record<string, unknown>;
    };
