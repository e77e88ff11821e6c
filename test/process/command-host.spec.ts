import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CAPTURE_BYTES, runCommand, type RunCommandOptions } from '../../src/exec';
import { CommandHost, CommandHostKeeper } from '../../src/process/command-host';
import { Lifeline } from '../../src/process/lifeline';
import { ProcessGroups } from '../../src/process/process-groups';
import { descendants } from '../support/tasks';
import { eventually, neverAborted, pidsWithArgument, testEnv } from '../exec/helpers';

/** The command line of a live process, or [] once it is gone. */
function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

const isHostScript = (arg: string) => arg.endsWith('/command-host-main.js') || arg.endsWith('/command-host.cjs');

/** The command hosts below this process: bwrap (our child) and the Node program inside its namespace. */
function hostProcesses(): { bwrap: number[]; node: number[] } {
  const hosts = descendants(process.pid).filter((pid) => cmdline(pid).some(isHostScript));
  return {
    bwrap: hosts.filter((pid) => cmdline(pid)[0].endsWith('bwrap') && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid)),
    node: hosts.filter((pid) => cmdline(pid)[0] === process.execPath),
  };
}

let tokens = 0;
/** A `sleep` duration no other process uses, to find the sleeps by argument (they run in the host's namespace). */
function sleepToken(): string {
  return `30.${process.pid}${++tokens}3`;
}

describe('process: the command host (one pid namespace for all unsandboxed commands)', function () {
  let groups: ProcessGroups;
  let dir: string;
  const run = (argv: string[], extra: Partial<RunCommandOptions> = {}) =>
    runCommand({ argv, cwd: dir, env: testEnv(), timeoutMs: 20_000, signal: neverAborted(), groups, ...extra });

  before(async function () {
    const plan = await new Lifeline().probe();
    if (plan.kind !== 'pid-namespace') {
      console.log(`      skipped: bwrap cannot create a pid namespace here (${plan.kind})`);
      this.skip();
    }
  });
  beforeEach(() => {
    groups = new ProcessGroups();
    dir = mkdtempSync(join(tmpdir(), 'agentwire-host-'));
  });
  afterEach(() => {
    groups.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs many commands in parallel through one host, each with its own output and exit code', async () => {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => run(['bash', '-c', `echo out${i}; echo err${i} >&2; exit ${i % 5}`])));
    results.forEach((r, i) => expect(r).to.include({ exitCode: i % 5, stdout: `out${i}\n`, stderr: `err${i}\n`, sandboxed: false }));
    const hosts = hostProcesses();
    expect(hosts.bwrap).to.have.length(1);
    expect(hosts.node).to.have.length(1);
    // The host lives on between commands, and the next command uses it.
    expect((await run(['true'])).exitCode).to.equal(0);
    expect(hostProcesses()).to.deep.equal(hosts);
  });

  it('the host killed mid-command ends that command (-1, SIGKILL) and the next command starts a fresh host', async () => {
    const t = sleepToken();
    const pending = run(['bash', '-c', `sleep ${t} & sleep ${t}; echo never`]);
    expect(await eventually(() => pidsWithArgument(t).length === 2, 10_000)).to.equal(true, 'the sleeps never ran');
    const [bwrap] = hostProcesses().bwrap;
    process.kill(bwrap, 'SIGKILL');
    const r = await pending;
    expect(r).to.include({ exitCode: -1, signal: 'SIGKILL', timedOut: false, aborted: false, stdout: '' });
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
    const next = await run(['bash', '-c', 'echo again']);
    expect(next).to.include({ exitCode: 0, stdout: 'again\n' });
    expect(hostProcesses().bwrap).to.have.length(1).and.not.include(bwrap);
  });

  it('the host program dying inside its namespace ends its commands too (bwrap is killed with it)', async () => {
    const t = sleepToken();
    const pending = run(['bash', '-c', `setsid sleep ${t} & sleep ${t}`]);
    expect(await eventually(() => pidsWithArgument(t).length === 2, 10_000)).to.equal(true, 'the sleeps never ran');
    const { node, bwrap } = hostProcesses();
    process.kill(node[0], 'SIGKILL');
    expect(await pending).to.include({ exitCode: -1, signal: 'SIGKILL' });
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
    expect(await eventually(() => cmdline(bwrap[0]).length === 0 || readFileSync(`/proc/${bwrap[0]}/stat`, 'utf8').includes(') Z'))).to.equal(true, 'bwrap survived');
    expect((await run(['true'])).exitCode).to.equal(0);
  });

  it('relays several MiB of output intact, keeping the first MiB per capture', async () => {
    // Text (base64), so that the capture decodes to the same characters.
    const content = Buffer.from(Array.from({ length: 5 * 1024 * 1024 }, (_, i) => (i * 7919 + (i >> 10)) % 251)).toString('base64');
    writeFileSync(join(dir, 'big.txt'), content);
    const chunks: Buffer[] = [];
    const r = await run(['cat', 'big.txt'], {
      onOutput: (_stream, chunk) => {
        chunks.push(chunk);
        // A slow listener at first: the host's pipe to the server fills up and the host pauses the command's pipes.
        if (chunks.length === 1) for (const end = Date.now() + 200; Date.now() < end;);
      },
    });
    expect(r.exitCode).to.equal(0);
    expect(Buffer.concat(chunks).toString('latin1') === content).to.equal(true, 'the output arrived changed');
    expect(r.stdout.length).to.equal(MAX_CAPTURE_BYTES);
    expect(r.stdout === content.slice(0, MAX_CAPTURE_BYTES)).to.equal(true);
    expect(r.droppedBytes).to.deep.equal({ stdout: content.length - MAX_CAPTURE_BYTES, stderr: 0, aggregated: content.length - MAX_CAPTURE_BYTES });
  });

  it('a background grandchild holding the pipes gets the grace, then is killed', async () => {
    const t = sleepToken();
    const r = await run(['bash', '-c', `sleep ${t} & echo started`]);
    expect(r).to.include({ exitCode: 0, stdout: 'started\n', timedOut: false });
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });

  it('reports a program that cannot be run (EACCES) as before: 126 and the strerror text', async () => {
    const script = join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho ran\n');
    chmodSync(script, 0o644);
    expect(await run([script])).to.include({ exitCode: 126, spawnError: 'Permission denied (os error 13)', stdout: '' });
  });

  it('reports a spawn failure found by the host itself (a missing working directory) as a spawn error', async () => {
    const r = await run(['true'], { cwd: join(dir, 'missing') });
    expect(r).to.include({ exitCode: 127, spawnError: 'No such file or directory (os error 2)' });
    expect((await run(['true'])).exitCode).to.equal(0);
  });

  it('a host that cannot start is said once and not tried again (commands are then wrapped one by one)', async () => {
    const warnings: string[] = [];
    const lifeline = new Lifeline();
    const broken = join(dir, 'broken-host.cjs');
    writeFileSync(broken, 'process.exit(3);\n');
    const keeper = new CommandHostKeeper(lifeline, { warn: (m) => warnings.push(m), script: broken });
    expect(await keeper.get()).to.equal(undefined);
    expect(await keeper.get()).to.equal(undefined);
    expect(warnings).to.have.length(1);
    expect(warnings).to.deep.equal(['the command host cannot start (it exited (status 3)); each unsandboxed command gets a pid namespace of its own']);
  });

  it('the host reports an EACCES spawn failure of its own with the errno code', async () => {
    const script = join(dir, 'not-executable');
    writeFileSync(script, 'x');
    chmodSync(script, 0o644);
    const host = (await groups.commandHost()) as CommandHost;
    const child = host.spawn([script], dir, testEnv());
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    expect(error.code).to.equal('EACCES');
    expect(child.pid).to.equal(undefined);
    expect(host.size).to.equal(0);
  });
});
