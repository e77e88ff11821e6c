import { expect } from 'chai';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

describe('agentwire mcp: stdio framing and shutdown', () => {
  let home: TempHome;
  let client: McpTestClient;

  beforeEach(() => {
    home = new TempHome();
    client = McpTestClient.spawn({ home: home.path });
  });

  afterEach(async () => {
    await client.close();
    home.remove();
  });

  it('joins a message split across many writes', async () => {
    const line = JSON.stringify({ jsonrpc: '2.0', id: 'split', method: 'ping' }) + '\n';
    const reply = client.waitForResponse('split');
    for (const ch of line) client.sendRaw(ch);
    expect((await reply).result).to.deep.equal({});
  });

  it('answers many messages sent in one write, each once', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const replies = Promise.all(ids.map((id) => client.waitForResponse(id)));
    client.sendRaw(ids.map((id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })).join('\n') + '\n');
    expect(await replies).to.have.length(200);
    expect(client.messages.filter((m) => typeof m.id === 'number' && m.id < 200)).to.have.length(200);
  });

  it('accepts CRLF line endings and skips blank lines', async () => {
    const mark = client.messages.length;
    client.sendRaw('\n\r\n   \n{"jsonrpc":"2.0","id":"crlf","method":"ping"}\r\n\n');
    const seen = await client.messagesUntilPing(mark);
    expect(seen).to.deep.equal([{ jsonrpc: '2.0', id: 'crlf', result: {} }]);
  });

  it('answers a 10 MB line', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const reply = client.waitForResponse('big', 30_000);
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'ping', params: { big } }) + '\n');
    expect((await reply).result).to.deep.equal({});
  });

  it('answers invalid UTF-8 with a parse error and goes on', async () => {
    const mark = client.messages.length;
    client.sendRaw(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"u","method":"p'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('ing"}\n')]));
    const seen = await client.messagesUntilPing(mark);
    expect(seen).to.deep.equal([{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }]);
  });

  it('survives binary garbage', async () => {
    const mark = client.messages.length;
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256).filter((b) => b !== 0x0a));
    client.sendRaw(Buffer.concat([garbage, Buffer.from('\n')]));
    const seen = await client.messagesUntilPing(mark);
    expect(seen).to.have.length(1);
    expect(seen[0].error.code).to.equal(-32700);
  });

  it('answers a last line that has no newline before stdin closes, then exits 0', async () => {
    const reply = client.waitForResponse('last');
    client.sendRaw('{"jsonrpc":"2.0","id":"last","method":"ping"}');
    client.closeStdin();
    expect((await reply).result).to.deep.equal({});
    expect((await client.exited).code).to.equal(0);
  });

  it('exits with code 0 when stdin closes', async () => {
    await client.initialize();
    client.closeStdin();
    expect(await client.exited).to.deep.equal({ code: 0, signal: null });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits on ${signal}`, async () => {
      await client.initialize();
      client.proc.kill(signal);
      const { code } = await client.exited;
      expect(code).to.equal(0);
    });
  }
});
