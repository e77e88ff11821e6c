import { expect } from 'chai';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SERVER_ENTRY } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

const ROOT = join(__dirname, '..', '..', '..');

describe('the official MCP TypeScript SDK client against agentwire', () => {
  let home: TempHome;
  let client: Client;
  let transport: StdioClientTransport;

  beforeEach(async () => {
    home = new TempHome({ config: `plugins = [${JSON.stringify(join(ROOT, 'examples', 'word-count-plugin.js'))}]\n` });
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_ENTRY, 'mcp'],
      env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
      stderr: 'pipe',
    });
    client = new Client({ name: 'agentwire-sdk-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    await client.connect(transport);
  });

  afterEach(async () => {
    await client.close();
    home.remove();
  });

  it('connects, negotiates and lists the tools', async () => {
    expect(client.getServerVersion()?.name).to.equal('agentwire');
    expect(client.getServerCapabilities()?.tools).to.deep.equal({ listChanged: true });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).to.include('word_count');
  });

  it('calls a tool and gets its structured result', async () => {
    const result = await client.callTool({ name: 'word_count', arguments: { text: 'hello MCP world' } });
    expect(result.structuredContent).to.deep.equal({ words: 3, characters: 15, lines: 1 });
  });

  it('pings and sets the log level', async () => {
    await client.ping();
    await client.setLoggingLevel('error');
  });

  it('gets an McpError for an unknown tool', async () => {
    try {
      await client.callTool({ name: 'missing', arguments: {} });
      expect.fail('callTool should have thrown');
    } catch (err) {
      expect((err as { code?: number }).code).to.equal(-32602);
    }
  });
});
