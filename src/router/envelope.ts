import { isRecord } from '../protocol/is-record';

/**
 * Sorts one parsed JSON value into the kinds of WIRE.md §2. json-rpc-2.0 checks envelopes too,
 * but it answers nothing for several cases the standard wants answered (batches, `id: null`,
 * fractional ids), so the router classifies first and hands the engine only what is valid.
 */
export type JsonRpcId = string | number;

export type Envelope =
  | { kind: 'request'; id: JsonRpcId; method: string; params: unknown; message: Record<string, unknown> }
  | { kind: 'notification'; method: string; params: unknown; validVersion: boolean }
  | { kind: 'response'; id: JsonRpcId; message: Record<string, unknown> }
  | { kind: 'invalid'; id: JsonRpcId | null; reason: string };

export { isRecord } from '../protocol/is-record';

/** A usable id: a string or an integer (fractional numbers, null, objects are not). */
export function isValidId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

export function classify(value: unknown): Envelope {
  if (Array.isArray(value)) {
    return {
      kind: 'invalid',
      id: null,
      reason: value.length === 0 ? 'Invalid Request: empty batch' : 'Invalid Request: batches are not supported',
    };
  }
  if (!isRecord(value)) return { kind: 'invalid', id: null, reason: 'Invalid Request: not a JSON-RPC object' };

  const hasId = 'id' in value;
  const id = isValidId(value.id) ? value.id : null;
  const validVersion = value.jsonrpc === '2.0';

  if (!hasId && typeof value.method === 'string') {
    return { kind: 'notification', method: value.method, params: value.params, validVersion };
  }
  if (hasId && id !== null && !('method' in value) && ('result' in value || 'error' in value)) {
    return { kind: 'response', id, message: value };
  }
  if (!hasId || id === null) {
    return { kind: 'invalid', id: null, reason: 'Invalid Request: id must be a string or an integer' };
  }
  if (!validVersion) return { kind: 'invalid', id, reason: 'Invalid Request: jsonrpc must be "2.0"' };
  if ('result' in value || 'error' in value) {
    return { kind: 'invalid', id, reason: 'Invalid Request: a request cannot carry result or error' };
  }
  if (typeof value.method !== 'string') {
    return { kind: 'invalid', id, reason: 'Invalid Request: method must be a string' };
  }
  if ('params' in value && value.params !== undefined && typeof value.params !== 'object') {
    return { kind: 'invalid', id, reason: 'Invalid Request: params must be an object or an array' };
  }
  return { kind: 'request', id, method: value.method, params: value.params, message: value };
}
