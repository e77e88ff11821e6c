import { expect } from 'chai';
import { ModelClient } from '../../src/model/model-client';
import { ModelStreamError } from '../../src/model/model-events';
import { MockProvider } from '../support/mock-provider';
import { byteStream, chatEvents, clientEvents, collect, deltas, items, providerAt, rejectionOf, responsesEvents, simpleRequest, sse } from './helpers';

const noAuth = async () => ({});
const noRetryLog = () => undefined;

for (const wireApi of ['chat', 'responses'] as const) {
  describe(`model streams against the mock (${wireApi})`, () => {
    let mock: MockProvider;
    const client = new ModelClient({ sleep: async () => undefined });

    beforeEach(async () => {
      mock = await MockProvider.start();
    });
    afterEach(async () => {
      await mock.close();
    });

    function run() {
      const provider = providerAt(mock.url, { wireApi });
      return collect(clientEvents(client, simpleRequest(), provider, noAuth, new AbortController().signal, noRetryLog));
    }

    it('streams text in pieces, then the message item, then completed with usage', async () => {
      mock.enqueue({ kind: 'text', text: 'Hello there, how are you?', usage: { input: 12, output: 5, cached: 3, reasoning: 2 } });
      const events = await run();
      expect(events.filter((e) => e.type === 'text_delta').length).to.equal(5);
      expect(deltas(events, 'text_delta')).to.equal('Hello there, how are you?');
      const [message] = items(events);
      expect(message).to.include({ type: 'message', role: 'assistant' });
      expect(message).to.have.nested.property('content[0].text', 'Hello there, how are you?');
      expect(events.at(-1)).to.deep.equal({
        type: 'completed',
        usage: { input_tokens: 12, cached_input_tokens: 3, output_tokens: 5, reasoning_output_tokens: 2, total_tokens: 17 },
      });
      expect(mock.requests[0].path).to.equal(wireApi === 'chat' ? '/v1/chat/completions' : '/v1/responses');
    });

    it('reassembles tool call arguments sent in pieces', async () => {
      const args = { command: ['bash', '-lc', 'echo "hello world"'], workdir: '/tmp' };
      mock.enqueue({ kind: 'tool_call', name: 'shell', arguments: args, callId: 'call_42', pieces: 7 });
      const events = await run();
      const calls = items(events).filter((i) => i.type === 'function_call');
      expect(calls).to.have.length(1);
      expect(calls[0]).to.include({ type: 'function_call', name: 'shell', call_id: 'call_42' });
      expect(JSON.parse((calls[0] as { arguments: string }).arguments)).to.deep.equal(args);
      expect(events.at(-1)).to.deep.equal({ type: 'completed' });
    });

    it('reports reasoning as deltas and as an item before the message', async () => {
      mock.enqueue({ kind: 'text', text: 'Done.', reasoning: 'Let me think about it.' });
      const events = await run();
      const kind = wireApi === 'chat' ? 'reasoning_raw_delta' : 'reasoning_summary_delta';
      expect(deltas(events, kind)).to.equal('Let me think about it.');
      const [reasoning, message] = items(events);
      expect(reasoning.type).to.equal('reasoning');
      if (wireApi === 'chat') {
        expect(reasoning).to.deep.include({ summary: [], content: [{ type: 'reasoning_text', text: 'Let me think about it.' }] });
      } else {
        expect(reasoning).to.deep.include({ summary: [{ type: 'summary_text', text: 'Let me think about it.' }] });
      }
      expect(message).to.have.nested.property('content[0].text', 'Done.');
    });

    it('parses a 20000-delta burst', async () => {
      mock.enqueue({ kind: 'burst', deltas: 20_000, piece: 'ab' });
      const events = await run();
      expect(events.filter((e) => e.type === 'text_delta').length).to.equal(20_000);
      const [message] = items(events);
      expect((message as { content: Array<{ text: string }> }).content[0].text).to.have.length(40_000);
    });
  });
}

describe('parseChatStreamBatches', () => {
  const chunk = (delta: object, finish: string | null = null) => sse({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

  it('copes with chunk boundaries inside lines and inside multi-byte characters', async () => {
    const wire = chunk({ content: 'héllo ' }) + chunk({ content: '✓ wörld' }) + chunk({}, 'stop') + 'data: [DONE]\n\n';
    const bytes = new TextEncoder().encode(wire);
    // Cut every 7 bytes, which splits lines, `data:` prefixes and UTF-8 sequences.
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.slice(i, i + 7));
    const events = await collect(chatEvents(byteStream(pieces)));
    expect(deltas(events, 'text_delta')).to.equal('héllo ✓ wörld');
  });

  it('merges parallel tool calls by index and puts text before them', async () => {
    const events = await collect(
      chatEvents(
        byteStream([
          chunk({ content: 'Two calls.' }),
          chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'shell', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'view_image', arguments: '{"pa' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: '{"command":' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'th":"x.png"}' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: '["ls"]}' } }] }),
          chunk({}, 'tool_calls'),
          'data: [DONE]\n\n',
        ]),
      ),
    );
    expect(items(events)).to.deep.equal([
      { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text: 'Two calls.' }] },
      { type: 'function_call', id: null, name: 'view_image', arguments: '{"path":"x.png"}', call_id: 'a' },
      { type: 'function_call', id: null, name: 'shell', arguments: '{"command":["ls"]}', call_id: 'b' },
    ]);
  });

  it('takes reasoning_content too, and usage from the final chunk', async () => {
    const final = sse({
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
    });
    const events = await collect(chatEvents(byteStream([chunk({ reasoning_content: 'hmm' }), chunk({ content: 'ok' }), final])));
    expect(deltas(events, 'reasoning_raw_delta')).to.equal('hmm');
    // A finish_reason followed by the end of the body is a complete response even without [DONE].
    expect(events.at(-1)).to.deep.equal({
      type: 'completed',
      usage: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 4, reasoning_output_tokens: 0, total_tokens: 14 },
    });
  });

  it('treats a body that ends without [DONE] or finish_reason as a dropped stream', async () => {
    const stream = chatEvents(byteStream([chunk({ content: 'par' })]));
    const seen: string[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const e of stream) if (e.type === 'text_delta') seen.push(e.delta);
      })(),
    );
    expect(seen).to.deep.equal(['par']);
    expect(err).to.be.instanceOf(ModelStreamError);
    expect(err.message).to.equal('stream disconnected before completion: stream closed before [DONE]');
    expect(err.retryable).to.equal(true);
  });
});

describe('parseResponsesStreamBatches', () => {
  const ev = (type: string, payload: object = {}) => sse({ type, ...payload }, type);

  it('fails with the exact text when the body ends before response.completed', async () => {
    const err = await rejectionOf(collect(responsesEvents(byteStream([ev('response.created'), ev('response.output_text.delta', { delta: 'x' })]))));
    expect(err).to.be.instanceOf(ModelStreamError);
    expect(err.message).to.equal('stream disconnected before completion: stream closed before response.completed');
    expect(err.retryable).to.equal(true);
  });

  it('turns response.failed into a retryable error that keeps the suggested wait', async () => {
    const failed = ev('response.failed', {
      response: { error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 1.5s.' } },
    });
    const err = await rejectionOf(collect(responsesEvents(byteStream([ev('response.created'), failed]))));
    expect(err.message).to.equal('stream disconnected before completion: Rate limit reached. Please try again in 1.5s.');
    expect(err.retryable).to.equal(true);
    expect(err.retryAfterMs).to.equal(1500);
  });

  it('marks an error event that retrying cannot fix as not retryable', async () => {
    const err = await rejectionOf(collect(responsesEvents(byteStream([ev('error', { code: 'context_length_exceeded', message: 'Too long.' })]))));
    expect(err.message).to.equal('stream disconnected before completion: Too long.');
    expect(err.retryable).to.equal(false);
  });

  it('yields raw reasoning text deltas and normalises reasoning items', async () => {
    const events = await collect(
      responsesEvents(
        byteStream([
          ev('response.reasoning_text.delta', { delta: 'step 1' }),
          ev('response.output_item.done', {
            item: { id: 'rs_1', type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'step 1' }], encrypted_content: 'enc' },
          }),
          ev('response.output_item.done', { item: { id: 'ws_1', type: 'web_search_call', status: 'completed' } }),
          ev('response.completed', { response: { id: 'r', usage: null } }),
        ]),
      ),
    );
    expect(events).to.deep.equal([
      { type: 'reasoning_raw_delta', delta: 'step 1' },
      {
        type: 'item',
        item: { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'step 1' }], encrypted_content: 'enc' },
      },
      { type: 'completed' },
    ]);
  });
});
