import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../exec/helpers';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

const ROOT = join(__dirname, '..', '..', '..');
const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);
const compiledFixture = (name: string) => join(ROOT, 'build', 'test', 'fixtures', name);

function pluginsConfig(...paths: string[]): string {
  return `plugins = [${paths.map((p) => JSON.stringify(p)).join(', ')}]\n`;
}

describe('agentwire mcp: plugins named in config.toml', () => {
  let home: TempHome;
  let client: McpTestClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    home.remove();
  });

  async function startWith(...paths: string[]): Promise<McpTestClient> {
    home = new TempHome({ config: pluginsConfig(...paths) });
    client = McpTestClient.spawn({ home: home.path });
    await client.initialize();
    return client;
  }

  async function failingStart(...paths: string[]): Promise<{ code: number | null; stderr: string; stdout: unknown[] }> {
    home = new TempHome({ config: pluginsConfig(...paths) });
    client = McpTestClient.spawn({ home: home.path });
    const { code } = await client.exited;
    return { code, stderr: client.stderr, stdout: client.messages };
  }

  it('loads the example plugin: its tool is listed and callable', async () => {
    const c = await startWith(join(ROOT, 'examples', 'word-count-plugin.js'));
    const list = await c.request('tools/list');
    const tool = list.result.tools.find((t: { name: string }) => t.name === 'word_count');
    expect(tool).to.include({ title: 'Word count' });
    expect(tool.inputSchema.required).to.deep.equal(['text']);
    const call = await c.request('tools/call', { name: 'word_count', arguments: { text: 'one two  three' } });
    expect(call.result.structuredContent).to.deep.equal({ words: 3, characters: 14, lines: 1 });
    expect(call.result.content[0].text).to.contain('3 words');
  });

  it('validates tool arguments against the tool schema with -32602 naming the field', async () => {
    const c = await startWith(join(ROOT, 'examples', 'word-count-plugin.js'));
    const missing = await c.request('tools/call', { name: 'word_count', arguments: {} });
    expect(missing.error.code).to.equal(-32602);
    expect(missing.error.message).to.contain('text');
    const wrong = await c.request('tools/call', { name: 'word_count', arguments: { text: 5 } });
    expect(wrong.error.code).to.equal(-32602);
    expect(wrong.error.data.errors[0]).to.match(/^text: /);
  });

  it('serves a plugin method and maps its InvalidParamsError to -32602', async () => {
    const c = await startWith(join(ROOT, 'examples', 'word-count-plugin.js'));
    expect((await c.request('examples/wordCount', { text: 'a b' })).result.words).to.equal(2);
    const bad = await c.request('examples/wordCount', { text: 1 });
    expect(bad.error).to.deep.include({ code: -32602, message: 'Invalid params: text: must be a string' });
  });

  it('resolves paths relative to the home folder', async () => {
    home = new TempHome({ config: pluginsConfig('./plugins/wc.js') });
    home.write('plugins/wc.js', `module.exports = require(${JSON.stringify(join(ROOT, 'examples', 'word-count-plugin.js'))});`);
    client = McpTestClient.spawn({ home: home.path });
    expect((await client.request('examples/wordCount', { text: 'x' })).result.words).to.equal(1);
  });

  it('loads a TypeScript handler class decorated with @Method, with validated params and injection', async () => {
    const c = await startWith(compiledFixture('class-plugin.js'));
    const ok = await c.request('example/greet', { name: 'Ada' }, 'g1');
    expect(ok.result).to.deep.equal({ greeting: 'hello Ada', requestId: 'g1' });
    const bad = await c.request('example/greet', { name: 3 });
    expect(bad.error.code).to.equal(-32602);
    expect(bad.error.message).to.contain('name');
  });

  it('loads an ES module plugin', async () => {
    const c = await startWith(fixture('esm-plugin.mjs'));
    expect((await c.request('example/esm', {})).result).to.deep.equal({ esm: true });
  });

  it('stops start-up when a plugin throws, naming the plugin and the reason', async () => {
    const { code, stderr, stdout } = await failingStart(fixture('throwing-plugin.js'));
    expect(code).to.equal(1);
    expect(stderr).to.contain('test:throws').and.to.contain('the flux capacitor is missing');
    expect(stdout).to.deep.equal([]);
  });

  it('stops start-up when a plugin claims a built-in method, naming both', async () => {
    const { code, stderr } = await failingStart(fixture('ping-claimer-plugin.js'));
    expect(code).to.equal(1);
    expect(stderr).to.contain('ping').and.to.contain('agentwire:mcp-core').and.to.contain('test:claims-ping');
  });

  it('stops start-up when two plugins claim one tool, naming both', async () => {
    const { code, stderr } = await failingStart(fixture('tool-claimer-plugins.js'));
    expect(code).to.equal(1);
    expect(stderr).to.contain('shared_tool').and.to.contain('test:first').and.to.contain('test:second');
  });

  it('stops start-up when a dependency is missing', async () => {
    const { code, stderr } = await failingStart(fixture('needs-missing-plugin.js'));
    expect(code).to.equal(1);
    expect(stderr).to.contain('test:needs').and.to.contain('test:not-there');
  });

  it('stops start-up when a plugin file does not exist', async () => {
    const { code, stderr } = await failingStart('./nowhere.js');
    expect(code).to.equal(1);
    expect(stderr).to.contain('nowhere.js');
  });

  it('keeps stdout for the protocol and keeps serving after a plugin throws from a timer', async () => {
    const c = await startWith(fixture('noisy-plugin.js'));
    const reply = await c.request('tools/call', { name: 'throw_later', arguments: {} });
    expect(reply.result.content[0].text).to.equal('scheduled');
    expect((await c.request('ping')).result).to.deep.equal({});
    await c.waitFor(() => c.stderr.includes('boom from a timer'), 5000).catch(() => undefined);
    expect(c.strayLines).to.deep.equal([]);
    expect(c.stderr).to.contain('hello from a plugin on stdout').and.to.contain('raw bytes on stdout');
    expect(c.proc.exitCode).to.equal(null);
  });

  it('kills the process groups it was given when stdin closes', async () => {
    const c = await startWith(fixture('child-process-plugin.js'));
    const reply = await c.request('tools/call', { name: 'spawn_sleeper', arguments: {} });
    const pid = Number(reply.result.content[0].text);
    expect(existsSync(`/proc/${pid}`)).to.equal(true);
    c.closeStdin();
    expect((await c.exited).code).to.equal(0);
    // The group was sent SIGKILL before the server exited; what is left is at most a zombie
    // waiting for init to reap it. Delivery is asynchronous: on a loaded machine the process can
    // still show as running for a moment (see eventually() in test/exec/helpers.ts).
    const state = (): string => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
      } catch {
        return 'gone';
      }
    };
    await eventually(() => ['gone', 'Z', 'X'].includes(state()));
    expect(['gone', 'Z', 'X']).to.include(state());
  });
});
