import { expect } from 'chai';
import sinon from 'sinon';
import type { ProviderInfo } from '../../src/config/provider-info';
import type { ModelFetch } from '../../src/model/http-fetch';
import { formatDelay, ModelClient, parseRetryAfter } from '../../src/model/model-client';
import { ModelStreamError, type ModelEvent } from '../../src/model/model-events';
import { MockProvider } from '../support/mock-provider';
import { byteStream, clientEvents, collect, deltas, items, providerAt, rejectionOf, simpleRequest, sse } from './helpers';

/** Records each backoff the client asks for and returns at once, so no test really waits. */
function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { waits, sleep };
}

describe('ModelClient', () => {
  let mock: MockProvider;
  const savedEnv: Record<string, string | undefined> = {};
  const ENV_NAMES = ['AW_TEST_KEY', 'AW_TEST_ORG', 'AW_TEST_EMPTY', 'AW_TEST_UNSET'];

  beforeEach(async () => {
    mock = await MockProvider.start();
    for (const name of ENV_NAMES) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(async () => {
    await mock.close();
    for (const name of ENV_NAMES) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });

  /** Runs one stream to the end; `random: 0.5` makes the jitter exactly 1. */
  function run(provider: ProviderInfo, options: { auth?: () => Promise<Record<string, string>>; signal?: AbortSignal; client?: ModelClient } = {}) {
    const { waits, sleep } = recordingSleep();
    const retries: string[] = [];
    const client = options.client ?? new ModelClient({ sleep, random: () => 0.5 });
    const stream = clientEvents(client, simpleRequest(), provider, options.auth ?? (async () => ({})), options.signal ?? new AbortController().signal, (message) =>
      retries.push(message),
    );
    return { result: collect(stream), waits, retries };
  }

  describe('retries', () => {
    it('retries a 500 and then streams the answer', async () => {
      mock.enqueue({ kind: 'http_error', status: 500 }, { kind: 'text', text: 'recovered' });
      const { result, waits, retries } = run(providerAt(mock.url));
      const events = await result;
      expect(deltas(events, 'text_delta')).to.equal('recovered');
      expect(mock.requests).to.have.length(2);
      expect(waits).to.deep.equal([200]);
      // A request-level retry is invisible to the turn.
      expect(retries).to.deep.equal([]);
    });

    it('waits as long as Retry-After asks on a 429', async () => {
      mock.enqueue({ kind: 'http_error', status: 429, retryAfter: '1' }, { kind: 'text', text: 'ok' });
      const { result, waits } = run(providerAt(mock.url));
      await result;
      expect(mock.requests).to.have.length(2);
      expect(waits).to.have.length(1);
      expect(waits[0]).to.be.closeTo(1000, 1);
    });

    it('with request_max_retries=1, stream_max_retries=0 sends 2 requests and reports the last status', async () => {
      mock.enqueue(...Array.from({ length: 5 }, () => ({ kind: 'http_error' as const, status: 500 })));
      const { result, retries } = run(providerAt(mock.url, { requestMaxRetries: 1, streamMaxRetries: 0 }));
      const err = await rejectionOf(result);
      expect(err).to.be.instanceOf(ModelStreamError);
      expect(err.message).to.equal('exceeded retry limit, last status: 500 Internal Server Error');
      expect(err.status).to.equal(500);
      expect(mock.requests).to.have.length(2);
      expect(retries).to.deep.equal([]);
    });

    it('with request_max_retries=0, stream_max_retries=2 sends 3 requests and 2 stream errors', async () => {
      mock.enqueue(...Array.from({ length: 5 }, () => ({ kind: 'http_error' as const, status: 500 })));
      const { result, retries, waits } = run(providerAt(mock.url, { requestMaxRetries: 0, streamMaxRetries: 2 }));
      const err = await rejectionOf(result);
      expect(err.message).to.equal('exceeded retry limit, last status: 500 Internal Server Error');
      expect(mock.requests).to.have.length(3);
      expect(retries).to.deep.equal([
        'stream error: exceeded retry limit, last status: 500 Internal Server Error; retrying 1/2 in 200ms…',
        'stream error: exceeded retry limit, last status: 500 Internal Server Error; retrying 2/2 in 400ms…',
      ]);
      expect(waits).to.deep.equal([200, 400]);
    });

    it('names the status of a spent 429 with its standard reason phrase', async () => {
      mock.enqueue({ kind: 'http_error', status: 429 });
      const { result } = run(providerAt(mock.url, { requestMaxRetries: 0, streamMaxRetries: 0 }));
      expect((await rejectionOf(result)).message).to.equal('exceeded retry limit, last status: 429 Too Many Requests');
    });

    it('does not retry another 4xx, and quotes at most 500 characters of the body', async () => {
      mock.enqueue({ kind: 'http_error', status: 400, body: 'bad request: ' + 'x'.repeat(1000) });
      const { result, retries } = run(providerAt(mock.url));
      const err = await rejectionOf(result);
      expect(err.retryable).to.equal(false);
      expect(err.message).to.equal(`unexpected status 400 Bad Request: bad request: ${'x'.repeat(487)}`);
      expect(mock.requests).to.have.length(1);
      expect(retries).to.deep.equal([]);
    });

    it('retries connection errors and reports them without the URL', async () => {
      const fetchStub = sinon.stub().rejects(Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED') }));
      const { waits, sleep } = recordingSleep();
      const retries: string[] = [];
      const client = new ModelClient({ fetch: fetchStub as unknown as ModelFetch, sleep, random: () => 0.5 });
      const provider = providerAt('http://127.0.0.1:9/v1', { requestMaxRetries: 2, streamMaxRetries: 1 });
      const err = await rejectionOf(
        collect(
          clientEvents(
            client,
            simpleRequest(),
            provider,
            async () => ({}),
            new AbortController().signal,
            (m) => retries.push(m),
          ),
        ),
      );
      expect(err.message).to.equal('error sending request: fetch failed (connect ECONNREFUSED)');
      expect(fetchStub.callCount).to.equal(6);
      expect(waits).to.deep.equal([200, 400, 200, 200, 400]);
      expect(retries).to.deep.equal(['stream error: error sending request: fetch failed (connect ECONNREFUSED); retrying 1/1 in 200ms…']);
    });

    it('restarts a stream cut in the middle, announcing the restart before the new events', async () => {
      mock.enqueue({ kind: 'cut', after: 'Partial ans' }, { kind: 'text', text: 'Full answer.' });
      const log: string[] = [];
      const client = new ModelClient({ sleep: async () => undefined, random: () => 0.5 });
      const stream = clientEvents(
        client,
        simpleRequest(),
        providerAt(mock.url),
        async () => ({}),
        new AbortController().signal,
        (m) => log.push(`retry: ${m}`),
      );
      const events: ModelEvent[] = [];
      for await (const event of stream) {
        events.push(event);
        log.push(event.type === 'text_delta' ? `delta: ${event.delta}` : event.type);
      }
      expect(mock.requests).to.have.length(2);
      expect(log[0]).to.equal('delta: Partial ans');
      expect(log[1]).to.match(/^retry: stream error: stream disconnected before completion: .+; retrying 1\/5 in 200ms…$/);
      expect(log.slice(2)).to.deep.equal(['delta: Full ', 'delta: answer.', 'item', 'completed']);
      expect(items(events)).to.have.length(1);
    });

    it('announces the restart after items of a failed Responses attempt, and ends with completed', async () => {
      const ev = (type: string, payload: object = {}) => sse({ type, ...payload }, type);
      const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }] };
      const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] };
      const bodies = [
        [ev('response.output_item.done', { item: reasoning }), ev('response.output_text.delta', { delta: 'h' })],
        [
          ev('response.output_item.done', { item: reasoning }),
          ev('response.output_text.delta', { delta: 'hi' }),
          ev('response.output_item.done', { item: message }),
          ev('response.completed', { response: { usage: null } }),
        ],
      ];
      const client = new ModelClient({
        fetch: async () => new Response(byteStream(bodies.shift()!), { status: 200, headers: { 'content-type': 'text/event-stream' } }),
        sleep: async () => undefined,
        random: () => 0.5,
      });
      const log: string[] = [];
      const provider = providerAt('http://provider.invalid/v1', { wireApi: 'responses' });
      for await (const e of clientEvents(
        client,
        simpleRequest(),
        provider,
        async () => ({}),
        new AbortController().signal,
        (m) => log.push(m),
      )) {
        log.push(e.type === 'item' ? `item ${e.item.type}` : e.type);
      }
      expect(log).to.deep.equal([
        'item reasoning',
        'text_delta',
        'stream error: stream disconnected before completion: stream closed before response.completed; retrying 1/5 in 200ms…',
        'item reasoning',
        'text_delta',
        'item message',
        'completed',
      ]);
    });

    it('fails an idle stream with the idle-timeout text', async () => {
      mock.enqueue({ kind: 'stall', after: 'Hel' });
      const { result, retries } = run(providerAt(mock.url, { streamIdleTimeoutMs: 200, streamMaxRetries: 0 }));
      const err = await rejectionOf(result);
      expect(err).to.be.instanceOf(ModelStreamError);
      expect(err.message).to.equal('stream disconnected before completion: idle timeout waiting for SSE');
      expect(err.retryable).to.equal(true);
      expect(retries).to.deep.equal([]);
    });

    it('retries an idle stream like any stream failure', async () => {
      mock.enqueue({ kind: 'stall', after: 'Hel' }, { kind: 'text', text: 'Hello' });
      const { result, retries } = run(providerAt(mock.url, { wireApi: 'responses', streamIdleTimeoutMs: 200 }));
      const events = await result;
      expect(retries).to.deep.equal(['stream error: stream disconnected before completion: idle timeout waiting for SSE; retrying 1/5 in 200ms…']);
      expect(items(events)).to.have.length(1);
      expect(mock.requests).to.have.length(2);
    });
  });

  describe('credentials and headers', () => {
    it('fails at once, without any request, when the env_key variable is missing', async () => {
      process.env.AW_TEST_EMPTY = '';
      const { result } = run(providerAt(mock.url, { envKey: 'AW_TEST_EMPTY' }));
      const err = await rejectionOf(result);
      expect(err).to.be.instanceOf(ModelStreamError);
      expect(err.message).to.equal('Missing environment variable: `AW_TEST_EMPTY`.');
      expect(err.retryable).to.equal(false);

      const withHelp = run(providerAt(mock.url, { envKey: 'AW_TEST_UNSET', envKeyInstructions: 'Create a key at example.com.' }));
      expect((await rejectionOf(withHelp.result)).message).to.equal('Missing environment variable: `AW_TEST_UNSET`. Create a key at example.com.');
      expect(mock.requests).to.have.length(0);
    });

    it('sends provider headers, env headers when set, the env key and then the auth headers', async () => {
      process.env.AW_TEST_KEY = 'sk-test-env-key-123';
      process.env.AW_TEST_ORG = 'org-42';
      process.env.AW_TEST_EMPTY = '';
      const provider = providerAt(mock.url, {
        envKey: 'AW_TEST_KEY',
        httpHeaders: { 'x-static': 'static-value' },
        envHttpHeaders: { 'x-org': 'AW_TEST_ORG', 'x-empty': 'AW_TEST_EMPTY', 'x-unset': 'AW_TEST_UNSET' },
        queryParams: { 'api-version': '2025-04-01' },
      });
      const { result } = run(provider, { auth: async () => ({ 'x-account': 'acc-1' }) });
      await result;
      const [req] = mock.requests;
      expect(req.headers).to.include({
        accept: 'text/event-stream',
        'content-type': 'application/json',
        'x-static': 'static-value',
        'x-org': 'org-42',
        authorization: 'Bearer sk-test-env-key-123',
        'x-account': 'acc-1',
      });
      expect(req.headers).not.to.have.any.keys('x-empty', 'x-unset', 'openai-beta', 'originator', 'session_id');
      expect(Object.keys(req.body).sort()).to.deep.equal(['messages', 'model', 'stream', 'tools']);
    });

    it('posts to the wire API path with the query parameters appended', async () => {
      const urls: string[] = [];
      const client = new ModelClient({
        fetch: async (input, init) => {
          urls.push(String(input));
          // Serve from the mock whatever the host was, keeping the wire API path.
          return fetch(mock.url + new URL(String(input)).pathname.replace(/^.*(?=\/(chat\/completions|responses)$)/, ''), { ...init, body: init.body.toBuffer() });
        },
      });
      const base = 'https://example.test/openai/v1/';
      await collect(
        clientEvents(
          client,
          simpleRequest(),
          providerAt(base, { queryParams: { 'api-version': '2025-04-01' } }),
          async () => ({}),
          new AbortController().signal,
          () => undefined,
        ),
      );
      await collect(
        clientEvents(
          client,
          simpleRequest(),
          providerAt('https://example.test/v1?tenant=a', { wireApi: 'responses' }),
          async () => ({}),
          new AbortController().signal,
          () => undefined,
        ),
      );
      expect(urls).to.deep.equal(['https://example.test/openai/v1/chat/completions?api-version=2025-04-01', 'https://example.test/v1/responses?tenant=a']);
    });

    it('sends only accept and content-type to a plain chat provider', async () => {
      await run(providerAt(mock.url)).result;
      const names = Object.keys(mock.requests[0].headers).filter((n) => !/^(host|content-length|connection|user-agent|accept-language|sec-fetch-mode|accept-encoding)$/.test(n));
      expect(names.sort()).to.deep.equal(['accept', 'content-type']);
    });

    it('adds the openai Responses headers', async () => {
      const provider = providerAt(mock.url, { id: 'openai', wireApi: 'responses' });
      await run(provider).result;
      const [req] = mock.requests;
      expect(req.headers).to.include({
        'openai-beta': 'responses=experimental',
        originator: 'codex_cli_rs',
        session_id: simpleRequest().conversationId,
      });
      expect(req.body.prompt_cache_key).to.equal(simpleRequest().conversationId);
    });

    it('asks auth() again for every attempt, so a refreshed token reaches the retry', async () => {
      mock.enqueue({ kind: 'http_error', status: 503 }, { kind: 'cut', after: 'x' }, { kind: 'text', text: 'ok' });
      let n = 0;
      const auth = sinon.spy(async () => ({ Authorization: `Bearer token-${++n}` }));
      await run(providerAt(mock.url, { envKey: undefined }), { auth }).result;
      expect(auth.callCount).to.equal(3);
      expect(mock.requests.map((r) => r.headers.authorization)).to.deep.equal(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    });

    it('does not quote a malformed credential when it cannot be sent as a header', async () => {
      process.env.AW_TEST_KEY = 'sk-broken-secret-key\nsecond-line';
      const { result } = run(providerAt(mock.url, { envKey: 'AW_TEST_KEY' }));
      const err = await rejectionOf(result);
      expect(err).to.be.instanceOf(ModelStreamError);
      expect(err.message).to.equal('invalid HTTP header: "authorization" has a name or value that cannot be sent');
      expect(err.message).not.to.include('sk-broken');
      expect(mock.requests).to.have.length(0);
    });

    it('keeps credentials out of error messages', async () => {
      process.env.AW_TEST_KEY = 'sk-very-secret-key-0001';
      mock.enqueue({
        kind: 'http_error',
        status: 401,
        body: '{"error":{"message":"Incorrect API key provided: sk-very-secret-key-0001 / tok-abcdefgh1234"}}',
      });
      const { result } = run(providerAt(mock.url, { envKey: 'AW_TEST_KEY' }), {
        auth: async () => ({ 'chatgpt-account-id': 'x', authorization: 'Bearer tok-abcdefgh1234' }),
      });
      const err = await rejectionOf(result);
      expect(err.message).to.match(/^unexpected status 401 Unauthorized: /);
      expect(err.message).not.to.include('sk-very-secret-key-0001');
      expect(err.message).not.to.include('tok-abcdefgh1234');
    });
  });

  describe('cancellation', () => {
    it('stops a slow stream promptly when the signal is aborted, with the signal reason', async () => {
      mock.enqueue({ kind: 'slow', text: 'one two three four five', delayMs: 10_000 });
      const controller = new AbortController();
      const reason = new Error('turn interrupted');
      const client = new ModelClient();
      const seen: string[] = [];
      const started = Date.now();
      const err = await rejectionOf(
        (async () => {
          for await (const event of clientEvents(
            client,
            simpleRequest(),
            providerAt(mock.url),
            async () => ({}),
            controller.signal,
            () => undefined,
          )) {
            if (event.type === 'text_delta') {
              seen.push(event.delta);
              controller.abort(reason);
            }
          }
        })(),
      );
      expect(err).to.equal(reason);
      expect(seen).to.deep.equal(['one ']);
      // The next word would come after 10 s; ending long before that shows the read was cut.
      expect(Date.now() - started).to.be.below(5_000);
    });

    it('cuts a backoff wait short', async () => {
      mock.enqueue({ kind: 'http_error', status: 503, retryAfter: '3600' });
      const controller = new AbortController();
      const client = new ModelClient();
      const pending = collect(
        clientEvents(
          client,
          simpleRequest(),
          providerAt(mock.url),
          async () => ({}),
          controller.signal,
          () => undefined,
        ),
      );
      await mock.waitForRequests(1);
      controller.abort();
      const err = await rejectionOf(pending);
      expect(err).to.have.property('name', 'AbortError');
      expect(mock.requests).to.have.length(1);
    });

    it('sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('gone'));
      const err = await rejectionOf(run(providerAt(mock.url), { signal: controller.signal }).result);
      expect(err.message).to.equal('gone');
      expect(mock.requests).to.have.length(0);
    });
  });

  describe('helpers', () => {
    it('reads Retry-After as seconds or as an HTTP date', () => {
      expect(parseRetryAfter('2')).to.equal(2000);
      expect(parseRetryAfter(null)).to.equal(undefined);
      expect(parseRetryAfter('soon')).to.equal(undefined);
      const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
      expect(parseRetryAfter(inFiveSeconds)).to.be.within(3000, 5000);
      expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT')).to.equal(0);
    });

    it('formats delays like the stream_error messages', () => {
      expect(formatDelay(200)).to.equal('200ms');
      expect(formatDelay(412.6)).to.equal('413ms');
      expect(formatDelay(1234)).to.equal('1.2s');
      expect(formatDelay(2000)).to.equal('2s');
    });
  });
});
