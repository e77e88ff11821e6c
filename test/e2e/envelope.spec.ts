import { expect } from 'chai';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

/** Every row of WIRE.md §2, with the reply the standard wants, and the server still serving after. */
describe('agentwire mcp: JSON-RPC envelope handling (WIRE.md §2)', () => {
  let home: TempHome;
  let client: McpTestClient;

  before(async () => {
    home = new TempHome();
    client = McpTestClient.spawn({ home: home.path });
    await client.initialize();
  });

  after(async () => {
    await client.close();
    home.remove();
  });

  /** Sends raw text and returns what the server wrote before the reply to a sentinel ping. */
  async function replyTo(raw: string): Promise<Record<string, any>[]> {
    const mark = client.messages.length;
    client.sendRaw(raw.endsWith('\n') ? raw : raw + '\n');
    return client.messagesUntilPing(mark);
  }

  it('answers a line that is not JSON with -32700 and id null', async () => {
    expect(await replyTo('{not json')).to.deep.equal([{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }]);
  });

  it('answers {} with -32600 and id null', async () => {
    const [reply, ...rest] = await replyTo('{}');
    expect(rest).to.be.empty;
    expect(reply).to.include({ id: null });
    expect(reply.error.code).to.equal(-32600);
  });

  it('answers a non-string method with -32600 carrying the id', async () => {
    const [reply] = await replyTo('{"jsonrpc":"2.0","id":1,"method":5}');
    expect(reply.id).to.equal(1);
    expect(reply.error.code).to.equal(-32600);
  });

  it('answers a batch with one -32600, id null, saying batches are not supported', async () => {
    const replies = await replyTo('[{"jsonrpc":"2.0","id":900,"method":"ping"},{"jsonrpc":"2.0","id":901,"method":"ping"}]');
    expect(replies).to.have.length(1);
    expect(replies[0].id).to.equal(null);
    expect(replies[0].error.code).to.equal(-32600);
    expect(replies[0].error.message).to.match(/batch/i);
  });

  it('answers an empty array with -32600, id null', async () => {
    const [reply] = await replyTo('[]');
    expect(reply).to.deep.include({ id: null });
    expect(reply.error.code).to.equal(-32600);
  });

  it('never answers a request without id (a notification)', async () => {
    expect(await replyTo('{"jsonrpc":"2.0","method":"ping"}')).to.deep.equal([]);
  });

  it('never answers a notification with a wrong jsonrpc member or bad params', async () => {
    expect(await replyTo('{"jsonrpc":"1.0","method":"notifications/initialized"}')).to.deep.equal([]);
    expect(await replyTo('{"method":"notifications/cancelled","params":5}')).to.deep.equal([]);
    expect(await replyTo('{"jsonrpc":"2.0","method":"getAuthStatus","params":"bad"}')).to.deep.equal([]);
    expect(await replyTo('{"jsonrpc":"2.0","method":"notifications/foo"}')).to.deep.equal([]);
  });

  it('answers id null with -32600 and id null', async () => {
    const [reply] = await replyTo('{"jsonrpc":"2.0","id":null,"method":"ping"}');
    expect(reply).to.deep.include({ id: null });
    expect(reply.error.code).to.equal(-32600);
  });

  it('echoes string, negative and large integer ids', async () => {
    for (const id of ['"abc"', '-5', '9007199254740991', '0']) {
      const [reply] = await replyTo(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`);
      expect(reply).to.deep.equal({ jsonrpc: '2.0', id: JSON.parse(id), result: {} });
    }
  });

  it('answers fractional, object, array and boolean ids with -32600 and id null', async () => {
    for (const id of ['1.5', '{"a":1}', '[1]', 'true']) {
      const [reply] = await replyTo(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`);
      expect(reply, id).to.deep.include({ id: null });
      expect(reply.error.code, id).to.equal(-32600);
    }
  });

  it('answers a request whose jsonrpc member is missing or "1.0" with -32600 carrying its id', async () => {
    for (const [raw, id] of [
      ['{"id":7,"method":"ping"}', 7],
      ['{"jsonrpc":"1.0","id":"v1","method":"ping"}', 'v1'],
    ] as const) {
      const [reply] = await replyTo(raw);
      expect(reply.id).to.equal(id);
      expect(reply.error.code).to.equal(-32600);
    }
  });

  it('answers both requests that reuse one id', async () => {
    const mark = client.messages.length;
    client.sendRaw('{"jsonrpc":"2.0","id":"dup","method":"ping"}\n{"jsonrpc":"2.0","id":"dup","method":"ping"}\n');
    const replies = await client.messagesUntilPing(mark);
    expect(replies.filter((m) => m.id === 'dup')).to.have.length(2);
  });

  it('answers a codex method with missing params with -32602 (getAuthStatus needs an object)', async () => {
    const reply = await client.request('getAuthStatus', undefined, 11);
    expect(reply.error.code).to.equal(-32602);
  });

  it('answers wrong param types with -32602 naming each field', async () => {
    const reply = await client.request('getAuthStatus', { includeToken: 'yes', refreshToken: 3 }, 12);
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('includeToken').and.to.contain('refreshToken');
    expect(reply.error.data.errors).to.have.length(2);
  });

  it('ignores unknown members and snake_case spellings of params', async () => {
    const reply = await client.request('getAuthStatus', { include_token: true, _meta: { x: 1 } }, 13);
    expect(reply.result).to.deep.equal({ preferredAuthMethod: 'chatgpt' });
  });

  it('ignores a response to a request the server never sent', async () => {
    expect(await replyTo('{"jsonrpc":"2.0","id":424242,"result":{}}')).to.deep.equal([]);
    expect(await replyTo('{"jsonrpc":"2.0","id":424243,"error":{"code":1,"message":"x"}}')).to.deep.equal([]);
  });

  it('answers a request that also carries result with -32600', async () => {
    const [reply] = await replyTo('{"jsonrpc":"2.0","id":14,"method":"ping","result":1}');
    expect(reply.error.code).to.equal(-32600);
  });

  it('answers params that are neither object nor array with -32600', async () => {
    const [reply] = await replyTo('{"jsonrpc":"2.0","id":15,"method":"ping","params":"x"}');
    expect(reply.error.code).to.equal(-32600);
  });

  it('answers a JSON scalar with -32600', async () => {
    for (const raw of ['5', '"str"', 'null', 'true']) {
      const [reply] = await replyTo(raw);
      expect(reply.error.code, raw).to.equal(-32600);
    }
  });

  it('answers two JSON values on one line as one parse error', async () => {
    const replies = await replyTo('{"jsonrpc":"2.0","id":16,"method":"ping"} {"jsonrpc":"2.0","id":17,"method":"ping"}');
    expect(replies).to.deep.equal([{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }]);
  });

  // Issue 18 finding 11: before the fix, validation recursed into the params and overflowed the stack (-32603).
  it('answers params nested 100,000 deep with -32602 naming the limit, ignores such a notification, and goes on', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
    // Waited for by id: a reply may come after the sentinel ping's, since both are answered asynchronously.
    const answer = (id: string, raw: string) => {
      const reply = client.waitForResponse(id);
      client.sendRaw(raw + '\n');
      return reply;
    };
    for (const method of ['newConversation', 'tools/call', 'ping']) {
      const reply = await answer(`deep-${method}`, `{"jsonrpc":"2.0","id":"deep-${method}","method":"${method}","params":{"x":${deep(100_000)}}}`);
      expect(reply.error.code, method).to.equal(-32602);
      expect(reply.error.message).to.equal('Invalid params: params nested too deep (limit 256 levels)');
    }
    const arrays = await answer('deep-array', `{"jsonrpc":"2.0","id":"deep-array","method":"newConversation","params":{"x":${deepArray(100_000)}}}`);
    expect(arrays.error.code).to.equal(-32602);
    expect(await replyTo(`{"jsonrpc":"2.0","method":"notifications/initialized","params":{"x":${deep(100_000)}}}`)).to.deep.equal([]);
    // An unknown member nested that deep is ignored, like any unknown member.
    expect(await answer('deep-extra', `{"jsonrpc":"2.0","id":"deep-extra","method":"ping","extra":${deep(100_000)}}`)).to.deep.equal({
      jsonrpc: '2.0',
      id: 'deep-extra',
      result: {},
    });
    // Nesting that real clients use is untouched: 200 levels pass the depth check and reach validation.
    const shallow = await answer('nested-ok', `{"jsonrpc":"2.0","id":"nested-ok","method":"newConversation","params":{"cwd":5,"x":${deep(200)}}}`);
    expect(shallow.error.code).to.equal(-32602);
    expect(shallow.error.message).to.not.contain('nested too deep');
  });

  it('is still alive after all of the above', async () => {
    expect((await client.request('ping')).result).to.deep.equal({});
    expect(client.proc.exitCode).to.equal(null);
  });
});
