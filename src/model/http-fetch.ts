import { Agent as HttpAgent, request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { JsonBody } from './json-body';

/** The most of an unread response body drained to keep its connection for the next request; more is cut. */
const MAX_DRAIN_BYTES = 64 * 1024;

let httpAgent: HttpAgent | undefined;
let httpsAgent: HttpsAgent | undefined;

/** node:https, which loads TLS with it: required by the first https request only. */
function https(): typeof import('node:https') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  return require('node:https') as typeof import('node:https');
}

/** The keep-alive connection pool of one protocol, made on its first request. */
function agentFor(secure: boolean): HttpAgent {
  if (!secure) return (httpAgent ??= new HttpAgent({ keepAlive: true }));
  return (httpsAgent ??= new (https().Agent)({ keepAlive: true }));
}

/** What a model request is sent with: fetch's shape, the body being a {@link JsonBody}. */
export type ModelFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: JsonBody; signal: AbortSignal }) => Promise<Response>;

/** The request that {@link nodeHttpFetch} sends: fetch's init, with a JsonBody as one more kind of body. */
export interface HttpFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | JsonBody | null;
  signal?: AbortSignal | null;
}

/**
 * POSTs a model request with Node's own HTTP client and returns the few members of a fetch
 * Response that ModelClient uses: `ok`, `status`, `statusText`, `headers.get`, `text()` and a
 * `body` whose reader yields the raw chunks. A {@link JsonBody} is written chunk by chunk as it
 * is (the kept history from its store), never joined.
 *
 * Node's client is part of the runtime: its parser (llhttp) is native and node:http is loaded
 * anyway (header validation, status texts), so the first model request of a process pays for no
 * HTTP library at all. A fetch-shaped function keeps ModelClient's tests, which inject a fetch,
 * unchanged. Timeouts are ModelClient's own (the idle timeout), so none is set here.
 */
export const nodeHttpFetch = (input: string | URL, init?: HttpFetchInit): Promise<Response> =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(String(input));
    const secure = url.protocol === 'https:';
    const send = secure ? https().request : httpRequest;
    // The body's length is given, so the request is not sent chunked.
    const body = init?.body;
    const headers = { ...init?.headers };
    if (body != null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const req = send(url, { method: init?.method ?? 'POST', headers, agent: agentFor(secure), signal: init?.signal ?? undefined });
    req.once('response', (res) => resolve(asResponse(res)));
    // Before the response: a refused connection, a reset, an abort. The message carries the
    // useful part (`connect ECONNREFUSED 127.0.0.1:9`), without the URL's credentials.
    req.once('error', reject);
    if (body instanceof JsonBody) {
      for (const chunk of body.chunks) req.write(chunk);
      req.end();
    } else if (body != null) req.end(body);
    else req.end();
  });

function asResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  // Errors reach the reader through the iterator; the event itself must not go unhandled.
  res.on('error', () => undefined);
  const iterator = res[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const release = async (): Promise<void> => {
    // Reads what is left (usually nothing but the end of the chunked body), so that the connection
    // goes back to the pool for the next request; a long rest is cut instead.
    let drained = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      drained += next.value.length;
      if (drained > MAX_DRAIN_BYTES) {
        res.destroy();
        return;
      }
    }
  };
  const body = { getReader: () => ({ read: () => iterator.next(), cancel: release }), cancel: release };
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: { get: (name: string) => headerValue(res.headers[name.toLowerCase()]) },
    body,
    text: async () => {
      let text = '';
      res.setEncoding('utf8');
      for await (const chunk of res) text += chunk as string;
      return text;
    },
  } as unknown as Response;
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
