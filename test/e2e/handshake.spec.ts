import { expect } from 'chai';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

describe('agentwire mcp: the MCP handshake and core methods', () => {
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

  it('answers initialize with the negotiated version, capabilities and serverInfo', async () => {
    const reply = await client.initialize();
    expect(reply.result.protocolVersion).to.equal('2025-06-18');
    expect(reply.result.capabilities.tools).to.deep.equal({ listChanged: true });
    expect(reply.result.capabilities).to.have.property('logging');
    expect(reply.result.serverInfo).to.include.keys('name', 'title', 'version');
  });

  for (const version of ['2024-11-05', '2025-03-26', '2025-11-25']) {
    it(`echoes the supported version ${version}`, async () => {
      const reply = await client.request('initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'x', version: '1' } });
      expect(reply.result.protocolVersion).to.equal(version);
    });
  }

  it('answers its latest handshake-era version (2025-11-25, WIRE.md §3.1) to an unknown one', async () => {
    const reply = await client.request('initialize', { protocolVersion: 'banana', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
    expect(reply.result.protocolVersion).to.equal('2025-11-25');
  });

  it('refuses a second initialize and keeps serving', async () => {
    await client.initialize();
    const again = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
    expect(again.error).to.deep.equal({ code: -32600, message: 'initialize called more than once' });
    expect((await client.request('ping')).result).to.deep.equal({});
  });

  it('serves requests sent before initialize', async () => {
    expect((await client.request('ping')).result).to.deep.equal({});
    expect((await client.request('getAuthStatus', {})).result).to.deep.equal({ preferredAuthMethod: 'chatgpt' });
  });

  it('answers ping with {} whatever its params', async () => {
    expect((await client.request('ping', [1, 2])).result).to.deep.equal({});
    expect((await client.request('ping', { x: 1 })).result).to.deep.equal({});
  });

  it('rejects initialize without params with -32602', async () => {
    const reply = await client.request('initialize');
    expect(reply.error.code).to.equal(-32602);
  });

  it('names the bad field of initialize params', async () => {
    const reply = await client.request('initialize', { protocolVersion: 5, capabilities: {}, clientInfo: { name: 'x', version: '1' } });
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('protocolVersion');
    expect(reply.error.data.errors)
      .to.be.an('array')
      .that.satisfies((e: string[]) => e.some((x) => x.startsWith('protocolVersion')));
  });

  it('rejects initialize without clientInfo with -32602 naming it', async () => {
    const reply = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {} });
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('clientInfo');
  });

  it('lists tools (none built in yet) with no nextCursor', async () => {
    await client.initialize();
    const reply = await client.request('tools/list');
    expect(reply.result.tools).to.be.an('array');
    expect(reply.result).not.to.have.property('nextCursor');
  });

  it('refuses an unknown tools/list cursor with -32602', async () => {
    const reply = await client.request('tools/list', { cursor: 'not-ours' });
    expect(reply.error.code).to.equal(-32602);
  });

  it('answers tools/call for an unknown tool with -32602 naming it', async () => {
    const reply = await client.request('tools/call', { name: 'nope', arguments: {} });
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('nope');
  });

  it('answers tools/call without params with -32602', async () => {
    const reply = await client.request('tools/call');
    expect(reply.error.code).to.equal(-32602);
  });

  for (const method of ['prompts/list', 'completion/complete', 'foo/bar', 'getUserAgent', 'newConversatoin']) {
    it(`answers ${method} with -32601`, async () => {
      const reply = await client.request(method, {});
      expect(reply.error.code).to.equal(-32601);
      expect(reply.error.message).to.contain(method);
    });
  }

  it('accepts logging/setLevel and then sends notifications/message', async () => {
    await client.initialize();
    expect((await client.request('logging/setLevel', { level: 'debug' })).result).to.deep.equal({});
    // An unknown notification is logged at debug level, which the client now receives.
    client.notify('notifications/whatever');
    const message = await client.waitForNotification('notifications/message');
    expect(message.params.level).to.equal('debug');
    expect(message.params.logger).to.equal('agentwire');
  });

  it('refuses a logging/setLevel level that MCP does not define', async () => {
    const reply = await client.request('logging/setLevel', { level: 'loud' });
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('level');
  });

  it('never writes anything but JSON-RPC lines to stdout', async () => {
    await client.initialize();
    await client.request('tools/list');
    await client.request('nope');
    client.sendRaw('garbage\n');
    await client.request('ping');
    expect(client.strayLines).to.deep.equal([]);
    for (const m of client.messages) expect(m.jsonrpc).to.equal('2.0');
  });
});
