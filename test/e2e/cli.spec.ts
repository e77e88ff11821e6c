import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { McpTestClient, SERVER_ENTRY } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json is read from the build output at run time, outside tsc's rootDir
const { version } = require('../../../package.json') as { version: string };

function run(args: string[], home?: string) {
  return spawnSync(process.execPath, [SERVER_ENTRY, ...args], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, CODEX_HOME: home ?? '/nonexistent-agentwire-home', AGENTWIRE_LOG: undefined },
  });
}

describe('agentwire CLI', () => {
  let home: TempHome;
  beforeEach(() => (home = new TempHome()));
  afterEach(() => home.remove());

  it('prints its version', () => {
    const out = run(['--version']);
    expect(out.status).to.equal(0);
    expect(out.stdout.trim()).to.equal(version);
  });

  it('prints help naming the mcp command', () => {
    const out = run(['--help']);
    expect(out.status).to.equal(0);
    expect(out.stdout).to.contain('mcp').and.to.contain('CODEX_HOME');
    expect(run(['mcp', '--help']).stdout).to.contain('--config');
  });

  it('prints a usage line, one line per command, and fits 80 columns without trailing spaces', () => {
    for (const args of [['--help'], [], ['mcp', '--help'], ['login', '--help'], ['logout', '--help']]) {
      const out = run(args);
      expect(out.status, args.join(' ')).to.equal(0);
      const lines = out.stdout.split('\n');
      expect(
        lines.filter((l) => /\s$/.test(l)),
        `trailing spaces in ${args.join(' ')}`,
      ).to.deep.equal([]);
      expect(
        lines.filter((l) => l.length > 80),
        `over 80 columns in ${args.join(' ')}`,
      ).to.deep.equal([]);
      expect(out.stdout, args.join(' ')).to.match(/^Usage: agentwire \S/m);
      // A title directly followed by a blank line is an empty section.
      expect(out.stdout, args.join(' ')).not.to.match(/^\w[\w ]*:\n\n/m);
      expect(out.stdout).not.to.contain('[...args]');
    }
    const top = run(['--help']).stdout;
    expect(top).to.match(/^Usage: agentwire <command> \[options\]$/m);
    for (const command of ['mcp', 'login \\[status\\]', 'logout']) expect(top).to.match(new RegExp(`^  ${command} +\\S.*$`, 'm'));
    expect(run(['mcp', '--help']).stdout).to.match(/^Usage: agentwire mcp \[options\]$/m);
  });

  it('refuses an unknown command', () => {
    const out = run(['frobnicate']);
    expect(out.status).to.equal(1);
    expect(out.stderr).to.contain('frobnicate');
  });

  it('refuses a -c override without =', () => {
    const out = run(['mcp', '-c', 'model'], home.path);
    expect(out.status).to.equal(1);
    expect(out.stderr).to.contain('key=value');
    expect(out.stdout).to.equal('');
  });

  it('refuses a -c override with a bad value for a checked key', () => {
    const out = run(['mcp', '-c', 'approval_policy=bogus'], home.path);
    expect(out.status).to.equal(1);
    expect(out.stderr).to.contain('approval_policy').and.to.contain('-c');
  });

  it('takes -c overrides with JSON values, repeated', async () => {
    const client = McpTestClient.spawn({ home: home.path, args: ['-c', 'preferred_auth_method="apikey"', '--config', 'log_level=warn'] });
    try {
      expect((await client.request('getAuthStatus', {})).result).to.deep.equal({ preferredAuthMethod: 'apikey' });
    } finally {
      await client.close();
    }
  });

  it('takes a -c value that is not JSON as a string', async () => {
    const client = McpTestClient.spawn({ home: home.path, args: ['-c', 'preferred_auth_method=apikey'] });
    try {
      expect((await client.request('getAuthStatus', {})).result).to.deep.equal({ preferredAuthMethod: 'apikey' });
    } finally {
      await client.close();
    }
  });

  it('stops with the file, line and key when config.toml does not parse', () => {
    home.write('config.toml', 'model = "x"\napproval_policy = \n');
    const out = run(['mcp'], home.path);
    expect(out.status).to.equal(1);
    expect(out.stderr).to.contain('config.toml').and.to.contain('line 2').and.to.contain('approval_policy');
    expect(out.stdout).to.equal('');
  });

  it('stops with the file, line and key when a value is wrong', () => {
    home.write('config.toml', 'model = "x"\n\napproval_policy = "bogus"\n');
    const out = run(['mcp'], home.path);
    expect(out.status).to.equal(1);
    expect(out.stderr).to.contain('config.toml line 3').and.to.contain('approval_policy').and.to.contain('untrusted');
  });

  it('ignores unknown keys, logging them at debug level', async () => {
    home.write('config.toml', 'some_future_key = 3\n[tui]\nthing = true\n');
    const client = McpTestClient.spawn({ home: home.path, env: { AGENTWIRE_LOG: 'debug' } });
    try {
      expect((await client.request('ping')).result).to.deep.equal({});
      await client.close();
      expect(client.stderr).to.contain('unknown config keys ignored').and.to.contain('some_future_key');
      expect(client.stderr).not.to.match(/"keys":\[[^\]]*"tui"/);
    } finally {
      await client.close();
    }
  });
});
