import { expect } from 'chai';
import { MockProvider } from './mock-provider';

interface SseFrame {
  event?: string;
  data: string;
}

/** Minimal SSE parsing, enough to check what the mock put on the wire. */
function parseSse(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    const frame: SseFrame = { data: '' };
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) frame.event = line.slice('event: '.length);
      else if (line.startsWith('data: ')) frame.data += line.slice('data: '.length);
    }
    frames.push(frame);
  }
  return frames;
}

/** Reads a body chunk by chunk so a torn stream still yields what arrived before it tore. */
async function readAll(res: Response): Promise<{ text: string; error?: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode() };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** Reads until `needle` has arrived, leaving the stream open. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(needle)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${JSON.stringify(needle)}; got ${JSON.stringify(text)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('MockProvider', () => {
  let mock: MockProvider;

  beforeEach(async () => {
    mock = await MockProvider.start();
  });

  afterEach(async () => {
    await mock.close();
  });

  function post(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
    return fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
  }

  function chatChunks(text: string): any[] {
    const frames = parseSse(text);
    expect(frames.at(-1)?.data).to.equal('[DONE]');
    return frames.slice(0, -1).map((f) => JSON.parse(f.data));
  }

  it('listens on 127.0.0.1 under /v1', () => {
    expect(mock.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('streams a text step as chat completion chunks ending in [DONE]', async () => {
    mock.enqueue({ kind: 'text', text: 'hello brave new world' });
    const res = await post('/chat/completions', { model: 'gpt-test', stream: true, messages: [] });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);

    const chunks = chatChunks(await res.text());
    for (const chunk of chunks) {
      expect(chunk).to.include({ id: 'chatcmpl-mock', object: 'chat.completion.chunk', model: 'gpt-test' });
      expect(chunk.created).to.be.a('number');
    }
    expect(chunks[0].choices[0].delta.role).to.equal('assistant');

    const contents = chunks.map((c) => c.choices[0].delta.content).filter((c) => c);
    expect(contents).to.deep.equal(['hello ', 'brave ', 'new ', 'world']);
    expect(contents.join('')).to.equal('hello brave new world');
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).to.equal(true);
  });

  it('splits text into the requested number of deltas', async () => {
    mock.enqueue({ kind: 'text', text: 'abcdefg', deltas: 3 });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    const contents = chunks.map((c) => c.choices[0].delta.content).filter((c) => c);
    expect(contents).to.deep.equal(['abc', 'de', 'fg']);
  });

  it('streams a tool call on chat with the arguments in fragments', async () => {
    const args = { path: 'src/index.ts', lines: [1, 20] };
    mock.enqueue({ kind: 'tool_call', name: 'read_file', arguments: args, callId: 'call_42' });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());

    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(toolDeltas[0]).to.deep.include({ index: 0, id: 'call_42', type: 'function' });
    expect(toolDeltas[0].function.name).to.equal('read_file');
    const fragments = toolDeltas.map((t: any) => t.function.arguments).filter((a: string) => a);
    expect(fragments).to.have.length(3);
    expect(JSON.parse(fragments.join(''))).to.deep.equal(args);
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('tool_calls');
  });

  it('sends chat usage as a final choices-less chunk', async () => {
    mock.enqueue({ kind: 'text', text: 'hi', usage: { input: 10, output: 2, cached: 4, reasoning: 1 } });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    expect(chunks.at(-1)).to.deep.include({
      choices: [],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 2,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 1 },
      },
    });
    expect(chunks.at(-2).choices[0].finish_reason).to.equal('stop');
  });

  it('streams chat reasoning before the content', async () => {
    mock.enqueue({ kind: 'text', text: 'answer', reasoning: 'let me think' });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    const deltas = chunks.map((c) => c.choices[0]?.delta ?? {});
    const firstContent = deltas.findIndex((d) => d.content);
    const reasoning = deltas.filter((d) => d.reasoning).map((d) => d.reasoning);
    expect(reasoning.join('')).to.equal('let me think');
    expect(deltas.findIndex((d) => d.reasoning)).to.be.lessThan(firstContent);
  });

  it('streams a text step with reasoning and usage as Responses API events', async () => {
    mock.enqueue({
      kind: 'text',
      text: 'all done here',
      reasoning: 'checking things',
      usage: { input: 100, output: 20, cached: 60, reasoning: 8 },
    });
    const res = await post('/responses', { model: 'gpt-resp', stream: true, input: [] });
    expect(res.status).to.equal(200);
    const frames = parseSse(await res.text());
    const events = frames.map((f) => ({ event: f.event, data: JSON.parse(f.data) }));

    for (const [i, e] of events.entries()) {
      expect(e.data.type).to.equal(e.event);
      expect(e.data.sequence_number).to.equal(i);
    }
    const types = events.map((e) => e.event);
    expect(types[0]).to.equal('response.created');
    expect(types.at(-1)).to.equal('response.completed');
    expect(types).to.include.members(['response.output_item.added', 'response.output_item.done']);

    const of = (type: string) => events.filter((e) => e.event === type).map((e) => e.data);
    expect(
      of('response.output_text.delta')
        .map((d) => d.delta)
        .join(''),
    ).to.equal('all done here');
    expect(
      of('response.reasoning_summary_text.delta')
        .map((d) => d.delta)
        .join(''),
    ).to.equal('checking things');
    expect(types.indexOf('response.reasoning_summary_text.delta')).to.be.lessThan(types.indexOf('response.output_text.delta'));

    const done = of('response.output_item.done').map((d) => d.item);
    expect(done.map((i) => i.type)).to.deep.equal(['reasoning', 'message']);
    expect(done[1].content[0].text).to.equal('all done here');

    const completed = of('response.completed')[0].response;
    expect(completed).to.include({ status: 'completed', model: 'gpt-resp' });
    expect(completed.usage).to.deep.equal({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 60 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 8 },
      total_tokens: 120,
    });
    expect(completed.output).to.have.length(2);
  });

  it('streams a tool call on the Responses API', async () => {
    mock.enqueue({ kind: 'tool_call', name: 'shell', arguments: '{"command":["ls","-la"]}', pieces: 4 });
    const frames = parseSse(await (await post('/responses', { model: 'm' })).text());
    const events = frames.map((f) => JSON.parse(f.data));

    const added = events.find((e) => e.type === 'response.output_item.added');
    expect(added.item).to.include({ type: 'function_call', name: 'shell' });
    const pieces = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta);
    expect(pieces).to.have.length(4);
    expect(pieces.join('')).to.equal('{"command":["ls","-la"]}');

    const done = events.find((e) => e.type === 'response.output_item.done');
    expect(done.item).to.include({ type: 'function_call', name: 'shell', arguments: '{"command":["ls","-la"]}' });
    expect(done.item.call_id).to.equal(added.item.call_id).and.to.be.a('string').that.is.not.empty;
  });

  it('answers an http_error step with its status, body and Retry-After', async () => {
    mock.enqueue({ kind: 'http_error', status: 429, retryAfter: '3', body: '{"error":{"message":"slow down"}}' });
    const res = await post('/chat/completions', { model: 'm' });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('3');
    expect(await res.json()).to.deep.equal({ error: { message: 'slow down' } });
  });

  it('gives http_error a default JSON body and no Retry-After unless asked', async () => {
    mock.enqueue({ kind: 'http_error', status: 500 });
    const res = await post('/responses', { model: 'm' });
    expect(res.status).to.equal(500);
    expect(res.headers.get('retry-after')).to.equal(null);
    expect(((await res.json()) as any).error.message).to.be.a('string');
  });

  it('drops the connection mid-stream on a cut step', async () => {
    mock.enqueue({ kind: 'cut', after: 'partial answ' });
    const res = await post('/chat/completions', { model: 'm' });
    expect(res.status).to.equal(200);
    const { text, error } = await readAll(res);
    expect(text).to.include('partial answ');
    expect(text).not.to.include('[DONE]');
    expect(text).not.to.include('finish_reason":"stop"');
    // undici reports a torn chunked body as an error; either way the stream must not look complete.
    expect(error).to.be.instanceOf(Error);
  });

  it('records requests and resolves waitForRequests when they arrive', async () => {
    mock.enqueue({ kind: 'text', text: 'one' }, { kind: 'text', text: 'two' });
    const waiting = mock.waitForRequests(2);
    const replies = Promise.all([
      post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { 'X-Trace-Id': 'abc', Authorization: 'Bearer sk-test' }).then((r) => r.text()),
      post('/responses', { model: 'm', input: 'hello' }).then((r) => r.text()),
    ]);
    const requests = await waiting;
    await replies;

    expect(requests).to.have.length(2);
    const chat = requests.find((r) => r.path === '/v1/chat/completions')!;
    expect(chat.method).to.equal('POST');
    expect(chat.headers['x-trace-id']).to.equal('abc');
    expect(chat.headers.authorization).to.equal('Bearer sk-test');
    expect(chat.headers['content-type']).to.equal('application/json');
    expect(chat.body).to.deep.equal({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.receivedAt).to.be.a('number');
    expect(requests.find((r) => r.path === '/v1/responses')!.body).to.deep.equal({ model: 'm', input: 'hello' });
    expect(mock.requests).to.have.length(2);
    expect(mock.queued).to.equal(0);
  });

  it('resolves waitForRequests at once when enough requests are already recorded', async () => {
    await (await post('/chat/completions', { model: 'm' })).text();
    expect(await mock.waitForRequests(1)).to.have.length(1);
  });

  it('rejects waitForRequests on timeout', async () => {
    let caught: unknown;
    await mock.waitForRequests(1, 20).catch((e) => (caught = e));
    expect(caught).to.be.instanceOf(Error);
    expect(String(caught)).to.match(/expected 1 request/);
  });

  it('keeps a non-JSON body as a raw string', async () => {
    await (await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: 'not json' })).text();
    const [req] = await mock.waitForRequests(1);
    expect(req.body).to.equal('not json');
  });

  it('answers "ok" when the queue is empty, on both endpoints', async () => {
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).to.equal('ok');

    const events = parseSse(await (await post('/responses', { model: 'm' })).text()).map((f) => JSON.parse(f.data));
    const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(text.join('')).to.equal('ok');
    expect(events.at(-1).type).to.equal('response.completed');
  });

  it('answers 404 JSON on unknown paths without consuming the script', async () => {
    mock.enqueue({ kind: 'text', text: 'kept' });
    const res = await post('/embeddings', { model: 'm' });
    expect(res.status).to.equal(404);
    expect(((await res.json()) as any).error).to.be.an('object');
    expect(mock.queued).to.equal(1);
  });

  it('sends a burst of deltas and finishes', async () => {
    mock.enqueue({ kind: 'burst', deltas: 5000, piece: 'ab' });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    const contents = chunks.map((c) => c.choices[0].delta.content).filter((c) => c);
    expect(contents).to.have.length(5000);
    expect(contents.join('')).to.equal('ab'.repeat(5000));
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
  });

  it('streams a slow step word by word and completes', async () => {
    mock.enqueue({ kind: 'slow', text: 'one two three', delayMs: 5 });
    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).to.equal('one two three');
  });

  it('survives a client aborting a slow step and keeps serving', async () => {
    mock.enqueue({ kind: 'slow', text: 'a b c d e f', delayMs: 10_000 });
    const abort = new AbortController();
    const res = await post('/chat/completions', { model: 'm' }, {}, abort.signal);
    await readUntil(res.body!.getReader(), '"content":"a "');
    abort.abort();

    const chunks = chatChunks(await (await post('/chat/completions', { model: 'm' })).text());
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).to.equal('ok');
  });

  it('ends a stall step when close() is called', async () => {
    mock.enqueue({ kind: 'stall', after: 'thinking' });
    const res = await post('/responses', { model: 'm' });
    const reader = res.body!.getReader();
    expect(await readUntil(reader, 'thinking')).not.to.include('response.completed');

    const rest = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'errored';
      }
    })();
    await mock.close();
    expect(await rest).to.be.oneOf(['ended', 'errored']);
  });

  it('honours delayMs before the headers and rejects waiters on close', async () => {
    mock.enqueue({ kind: 'text', text: 'late', delayMs: 10_000 });
    const pending = post('/chat/completions', { model: 'm' }).catch((e: unknown) => e);
    const [req] = await mock.waitForRequests(1);
    expect(req.path).to.equal('/v1/chat/completions');
    const never = mock.waitForRequests(5).catch((e: unknown) => e);
    await mock.close();
    expect(await never).to.be.instanceOf(Error);
    expect(await pending).to.be.instanceOf(Error);
  });
});
