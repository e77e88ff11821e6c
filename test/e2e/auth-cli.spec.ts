import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readAuthJson } from '../support/auth-e2e';
import { SERVER_ENTRY } from '../support/mcp-client';
import { MockIssuer, browse } from '../support/mock-issuer';
import { TempHome } from '../support/temp-home';

const KEY = 'sk-cli-secret-key-000111222';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `agentwire login`, `login --api-key`, `login status`, `logout` (the auth issue, point 4). */
describe('agentwire login / logout (CLI)', () => {
  let home: TempHome;
  let issuer: MockIssuer;

  beforeEach(async () => {
    issuer = await MockIssuer.start();
    home = new TempHome({ config: `auth_issuer = "${issuer.url}"\nlogin_port = 0\n` });
  });
  afterEach(async () => {
    await issuer.close();
    home.remove();
  });

  function start(args: string[], stdin?: string) {
    const child = spawn(process.execPath, [SERVER_ENTRY, ...args], {
      env: { ...process.env, CODEX_HOME: home.path, OPENAI_API_KEY: undefined, AGENTWIRE_AUTH_ISSUER: undefined, AGENTWIRE_LOG: undefined },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const run: Run = { code: null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (c: string) => (run.stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (run.stderr += c));
    if (stdin !== undefined) child.stdin.end(stdin);
    const done = once(child, 'exit').then(([code]) => {
      run.code = code as number | null;
      return run;
    });
    return { child, run, done };
  }

  const cli = (args: string[], stdin?: string) => start(args, stdin).done;

  it('login --api-key reads the key from stdin; status masks it; logout removes it', async () => {
    const login = await cli(['login', '--api-key'], `${KEY}\n`);
    expect(login.code).to.equal(0);
    expect(login.stderr).to.equal('Successfully logged in\n');
    expect(readAuthJson(home.path)).to.deep.equal({ OPENAI_API_KEY: KEY });
    expect(statSync(join(home.path, 'auth.json')).mode & 0o777).to.equal(0o600);

    const status = await cli(['login', 'status']);
    expect(status.code).to.equal(0);
    expect(status.stderr).to.equal('Logged in using an API key - sk-cli-s***11222\n');
    expect(status.stderr + status.stdout).not.to.contain(KEY);

    const logout = await cli(['logout']);
    expect(logout).to.deep.include({ code: 0, stderr: 'Successfully logged out\n' });
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
    const after = await cli(['login', 'status']);
    expect(after).to.deep.include({ code: 1, stderr: 'Not logged in\n' });
    expect(await cli(['logout'])).to.deep.include({ code: 0, stderr: 'Not logged in\n' });
  });

  it('refuses a key on the command line without repeating it', async () => {
    for (const args of [
      ['login', `--api-key=${KEY}`],
      ['login', '--api-key', KEY],
    ]) {
      const run = await cli(args, '');
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('read from stdin');
      expect(run.stderr + run.stdout).not.to.contain(KEY);
    }
    expect(existsSync(join(home.path, 'auth.json'))).to.equal(false);
    const empty = await cli(['login', '--api-key'], '\n');
    expect(empty.code).to.equal(1);
    expect(empty.stderr).to.contain('no API key on stdin');
  });

  it('login prints the URL, waits for the browser, and stores the ChatGPT login', async () => {
    issuer.loginAccount = { accountId: 'acc-cli', email: 'cli@example.com', plan: 'team' };
    const { child, run, done } = start(['login']);
    const pattern = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${run.stderr}`)), 10_000);
      const onData = () => {
        const m = pattern.exec(run.stderr);
        if (!m) return;
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve(m[1]);
      };
      // After the collecting listener, so run.stderr already holds the chunk.
      child.stderr.on('data', onData);
    });
    const hops = await browse(url);
    expect(hops.at(-1)!.status).to.equal(200);
    const finished = await done;
    expect(finished.code).to.equal(0);
    expect(finished.stderr).to.contain('Successfully logged in');
    expect(readAuthJson(home.path).tokens.account_id).to.equal('acc-cli');
    const status = await cli(['login', 'status']);
    expect(status).to.deep.include({ code: 0, stderr: 'Logged in using ChatGPT (cli@example.com, plan team)\n' });
  });
});
