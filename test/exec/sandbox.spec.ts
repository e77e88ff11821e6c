import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxPolicy } from '../../src/config/conversation-settings';
import { DEFAULT_SHELL_ENVIRONMENT_POLICY } from '../../src/config/shell-environment';
import {
  BWRAP_MISSING_REASON,
  buildSandboxedArgv,
  commandEnvironment,
  isSandboxDenial,
  networkDisabled,
  runSandboxed,
  SandboxProbe,
  type ExecResult,
  type SandboxProbeResult,
} from '../../src/exec';
import { eventually, neverAborted, pidsWithArgument, testEnv } from './helpers';

const TAIL = ['--unshare-pid', '--die-with-parent', '--new-session'];
const BASE = ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];

function result(fields: Partial<ExecResult>): ExecResult {
  return {
    exitCode: 0,
    stdout: '',
    stderr: '',
    aggregated: '',
    droppedBytes: { stdout: 0, stderr: 0, aggregated: 0 },
    durationMs: 1,
    timedOut: false,
    aborted: false,
    sandboxed: true,
    ...fields,
  };
}

describe('exec: sandbox argv (SANDBOX.md §5)', () => {
  let dir: string;
  let work: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'agentwire-sbx-')));
    work = join(dir, 'work');
    mkdirSync(work);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves danger-full-access unwrapped', () => {
    expect(buildSandboxedArgv(['ls', '-l'], { mode: 'danger-full-access' }, work, {}).argv).to.deep.equal(['ls', '-l']);
  });

  it('makes read-only everything read-only with the network cut', () => {
    const { argv } = buildSandboxedArgv(['touch', 'x'], { mode: 'read-only' }, work, { TMPDIR: dir });
    expect(argv).to.deep.equal([...BASE, '--unshare-net', ...TAIL, '--chdir', work, '--', 'touch', 'x']);
  });

  it('binds cwd, writable roots, /tmp and $TMPDIR for workspace-write and re-protects .git', () => {
    const root = join(dir, 'root');
    const tmp = join(dir, 'tmp');
    mkdirSync(join(work, '.git'), { recursive: true });
    mkdirSync(root);
    mkdirSync(tmp);
    const policy: SandboxPolicy = { mode: 'workspace-write', writable_roots: [root, join(dir, 'missing')] };
    const { argv } = buildSandboxedArgv(['make'], policy, work, { TMPDIR: tmp }, { bwrap: '/usr/bin/bwrap' });
    expect(argv).to.deep.equal([
      '/usr/bin/bwrap',
      ...BASE.slice(1),
      '--bind',
      '/tmp',
      '/tmp',
      '--bind',
      root,
      root,
      '--bind',
      tmp,
      tmp,
      '--bind',
      work,
      work,
      '--ro-bind',
      join(work, '.git'),
      join(work, '.git'),
      '--unshare-net',
      ...TAIL,
      '--chdir',
      work,
      '--',
      'make',
    ]);
  });

  it('honours exclude_slash_tmp, exclude_tmpdir_env_var and network_access', () => {
    const policy: SandboxPolicy = { mode: 'workspace-write', exclude_slash_tmp: true, exclude_tmpdir_env_var: true, network_access: true };
    const { argv } = buildSandboxedArgv(['make'], policy, work, { TMPDIR: dir });
    expect(argv).to.deep.equal([...BASE, '--bind', work, work, ...TAIL, '--chdir', work, '--', 'make']);
  });

  it('binds the target of a symlinked root', () => {
    const link = join(dir, 'link');
    symlinkSync(work, link);
    const { argv } = buildSandboxedArgv(['make'], { mode: 'workspace-write', exclude_slash_tmp: true }, link, {});
    expect(argv).to.include.ordered.members([...BASE, '--bind', work, work]);
    expect(argv.slice(-4)).to.deep.equal(['--chdir', link, '--', 'make']);
  });

  it('knows when the network is disabled and says so in the environment', () => {
    expect(networkDisabled({ mode: 'read-only' })).to.equal(true);
    expect(networkDisabled({ mode: 'workspace-write' })).to.equal(true);
    expect(networkDisabled({ mode: 'workspace-write', network_access: true })).to.equal(false);
    expect(networkDisabled({ mode: 'danger-full-access' })).to.equal(false);
    const env = commandEnvironment(DEFAULT_SHELL_ENVIRONMENT_POLICY, { mode: 'read-only' }, { PATH: '/bin', MY_TOKEN: 's' });
    expect(env).to.deep.equal({ PATH: '/bin', CODEX_SANDBOX_NETWORK_DISABLED: '1' });
    expect(commandEnvironment(DEFAULT_SHELL_ENVIRONMENT_POLICY, { mode: 'danger-full-access' }, { PATH: '/bin' })).to.deep.equal({ PATH: '/bin' });
  });

  it('counts a failure as a denial only with an EROFS/EACCES/EPERM message on stderr', () => {
    expect(isSandboxDenial(result({ exitCode: 1, stderr: "touch: cannot touch 'x': Read-only file system\n" }))).to.equal(true);
    expect(isSandboxDenial(result({ exitCode: 1, stderr: 'bash: x: Permission denied\n' }))).to.equal(true);
    expect(isSandboxDenial(result({ exitCode: 1, stderr: 'bash: socket: Operation not permitted\n' }))).to.equal(true);
    expect(isSandboxDenial(result({ exitCode: 1, stderr: '1 test failed\n' }))).to.equal(false);
    expect(isSandboxDenial(result({ exitCode: 0, stderr: 'Permission denied (ignored)\n' }))).to.equal(false);
    expect(isSandboxDenial(result({ exitCode: 1, stdout: 'Permission denied' }))).to.equal(false);
    expect(isSandboxDenial(result({ exitCode: -1, timedOut: true, stderr: 'Permission denied' }))).to.equal(false);
  });

  it('reports a missing bwrap once, with the reason', async () => {
    const probe = new SandboxProbe({ searchPath: '/nonexistent-agentwire' });
    const [a, b] = await Promise.all([probe.probe(), probe.probe()]);
    expect(a).to.deep.equal({ available: false, reason: BWRAP_MISSING_REASON });
    expect(b).to.equal(a);
  });

  it('reports a bwrap that cannot create a sandbox with its first stderr line', async () => {
    const fake = join(dir, 'bwrap');
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\necho more >&2\nexit 1\n', { mode: 0o755 });
    const r = await new SandboxProbe({ searchPath: `relative:${dir}` }).probe();
    expect(r).to.deep.equal({ available: false, reason: 'bubblewrap (bwrap) cannot create a sandbox: bwrap: No permissions to create new namespace' });
  });
});

describe('exec: commands inside bubblewrap', function () {
  const probe = new SandboxProbe();
  let probed: SandboxProbeResult;
  let dir: string;
  let work: string;
  let outside: string;

  before(async function () {
    probed = await probe.probe();
    if (!probed.available) {
      console.log(`      skipping bubblewrap tests: ${probed.reason}`);
      this.skip();
    }
  });

  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'agentwire-bwrap-')));
    work = join(dir, 'work');
    mkdirSync(join(work, '.git'), { recursive: true });
    writeFileSync(join(work, 'readme'), 'hello\n');
    // Somewhere neither in the cwd nor under /tmp, so no policy here makes it writable.
    const base = existsSync('/var/tmp') ? '/var/tmp' : homedir();
    outside = realpathSync(mkdtempSync(join(base, 'agentwire-outside-')));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  function sandboxed(argv: string[], policy: SandboxPolicy, timeoutMs = 10_000, cwd = work): Promise<ExecResult> {
    return runSandboxed({ argv, cwd, env: testEnv(), timeoutMs, signal: neverAborted() }, { policy, probe });
  }

  it('workspace-write: writes in the cwd succeed, writes elsewhere fail as a denial', async () => {
    const inside = await sandboxed(['bash', '-c', 'echo ok > inside.txt'], { mode: 'workspace-write' });
    expect(inside).to.include({ exitCode: 0, sandboxed: true });
    expect(readFileSync(join(work, 'inside.txt'), 'utf8')).to.equal('ok\n');

    const target = join(outside, 'o.txt');
    const denied = await sandboxed(['touch', target], { mode: 'workspace-write' });
    expect(denied.exitCode).to.not.equal(0);
    expect(denied.stderr).to.contain('Read-only file system');
    expect(isSandboxDenial(denied)).to.equal(true);
    expect(existsSync(target)).to.equal(false);
  });

  it('workspace-write: /tmp is writable unless exclude_slash_tmp, the cwd stays writable either way', async () => {
    const other = join(dir, 'other.txt');
    expect((await sandboxed(['touch', other], { mode: 'workspace-write' })).exitCode).to.equal(0);
    rmSync(other);
    const excluded: SandboxPolicy = { mode: 'workspace-write', exclude_slash_tmp: true };
    const denied = await sandboxed(['touch', other], excluded);
    expect(denied.stderr).to.contain('Read-only file system');
    expect((await sandboxed(['touch', 'in-cwd.txt'], excluded)).exitCode).to.equal(0);
  });

  it('read-only: the cwd can be read but not written', async () => {
    const read = await sandboxed(['cat', 'readme'], { mode: 'read-only' });
    expect(read).to.include({ exitCode: 0, stdout: 'hello\n' });
    const write = await sandboxed(['touch', 'new.txt'], { mode: 'read-only' });
    expect(write.exitCode).to.equal(1);
    expect(write.stderr).to.contain('Read-only file system');
    expect(isSandboxDenial(write)).to.equal(true);
    expect(existsSync(join(work, 'new.txt'))).to.equal(false);
  });

  it('keeps a top-level .git read-only inside a writable cwd', async () => {
    const r = await sandboxed(['touch', '.git/config', 'plain.txt'], { mode: 'workspace-write' });
    expect(r.stderr).to.contain('Read-only file system');
    expect(existsSync(join(work, '.git', 'config'))).to.equal(false);
    expect(existsSync(join(work, 'plain.txt'))).to.equal(true);
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    let connections: number;
    before(async () => {
      connections = 0;
      server = createServer((socket) => {
        connections++;
        socket.end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('is cut by default, so a local server cannot be reached', async () => {
      const before = connections;
      const r = await sandboxed(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { mode: 'workspace-write' });
      expect(r.exitCode).to.not.equal(0);
      expect(connections).to.equal(before);
    });

    it('is allowed with network_access = true', async () => {
      const before = connections;
      const r = await sandboxed(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { mode: 'workspace-write', network_access: true });
      expect(r).to.include({ exitCode: 0, stderr: '' });
      expect(await eventually(() => connections === before + 1)).to.equal(true);
    });
  });

  it('kills everything in the sandbox on timeout', async () => {
    // A unique sleep length names the processes: they live in another pid namespace, so $! is useless here.
    const token = `31.${process.pid}${Date.now() % 1000}`;
    const r = await sandboxed(['bash', '-c', `sleep ${token} & sleep ${token}`], { mode: 'workspace-write' }, 500);
    expect(r).to.include({ exitCode: -1, timedOut: true, sandboxed: true });
    expect(await eventually(() => pidsWithArgument(token).length === 0)).to.equal(true);
  });
});
