import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CAPTURE_BYTES, runCommand, type RunCommandOptions } from '../../src/exec';
import { CommandHost, CommandHostKeeper, commandHostPrograms, type CommandHostProgram } from '../../src/process/command-host';
import { Lifeline } from '../../src/process/lifeline';
import { ProcessGroups } from '../../src/process/process-groups';
import { descendants, isCommandHostArg } from '../support/tasks';
import { cmdline, eventually, isAlive, neverAborted, pidsWithArgument, sleepToken, testEnv } from '../exec/helpers';

/** The processes of a command host: bwrap (our child) and the host program inside its namespace. */
async function hostProcesses(groups: ProcessGroups): Promise<{ bwrap: number; program: number[] }> {
  const bwrap = (await groups.commandHost())!.pid!;
  return { bwrap, program: descendants(bwrap).filter((pid) => !cmdline(pid)[0].endsWith('bwrap') && cmdline(pid).some(isCommandHostArg)) };
}

/** Both host programs, each run through the whole spec: the Python one (posix_spawn) first where python3 is found, the Node one. */
const programs = commandHostPrograms();

for (const program of programs)
  describe(`process: the ${program.name} command host (one pid namespace for all unsandboxed commands)`, function () {
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
      groups.useCommandHostPrograms([program]);
      dir = mkdtempSync(join(tmpdir(), 'agentwire-host-'));
    });
    afterEach(() => {
      groups.killAll();
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs many commands in parallel through one host, each with its own output and exit code', async () => {
      const script = (i: number) => `readlink /proc/self/ns/pid; echo out${i}; echo err${i} >&2; exit ${i % 5}`;
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => run(['bash', '-c', script(i)])));
      const namespaces = new Set<string>();
      results.forEach((r, i) => {
        const [namespace, out] = r.stdout.split('\n');
        namespaces.add(namespace);
        expect(r).to.include({ exitCode: i % 5, stderr: `err${i}\n`, sandboxed: false });
        expect(out).to.equal(`out${i}`);
      });
      // One pid namespace for all of them, not this process's.
      expect(namespaces.size).to.equal(1);
      expect([...namespaces][0])
        .to.match(/^pid:\[\d+\]$/)
        .and.not.equal(readlinkSync('/proc/self/ns/pid'));
      const hosts = await hostProcesses(groups);
      expect(hosts.program).to.have.length(1);
      // The host lives on between commands, and the next command uses it.
      expect((await run(['readlink', '/proc/self/ns/pid'])).stdout).to.equal(`${[...namespaces][0]}\n`);
      expect(await hostProcesses(groups)).to.deep.equal(hosts);
    });

    it('starts a command by the file PATH found it as, and the command still sees the name it was given as argv[0]', async () => {
      // A PATH whose first entries hold no `cat`: the host is told the file, execvp tries nothing else.
      const r = await run(['cat', '/proc/self/cmdline'], { env: { ...testEnv(), PATH: `${join(dir, 'none')}:${dir}:/usr/local/bin:/usr/bin:/bin` } });
      expect(r).to.include({ exitCode: 0, stdout: 'cat\0/proc/self/cmdline\0' });
      // A script found along PATH runs as it would by name (its interpreter gets the file), with its name as $0.
      writeFileSync(join(dir, 'hello'), '#!/bin/sh\necho "$0 $1"\n');
      chmodSync(join(dir, 'hello'), 0o755);
      const s = await run(['hello', 'world'], { env: { ...testEnv(), PATH: `${dir}:/usr/bin:/bin` } });
      expect(s).to.include({ exitCode: 0, stdout: `${join(dir, 'hello')} world\n` });
    });

    it('a process that left its command (setsid) is killed once no command runs, not left to the end of the server', async () => {
      const t = sleepToken();
      // "started" only once the detached sleep runs, so that its going is what is checked.
      const r = await run(['sh', '-c', `setsid sh -c "exec sleep ${t}" </dev/null >/dev/null 2>&1 & until grep -qs ${t} /proc/$!/cmdline; do :; done; echo started`]);
      expect(r).to.include({ exitCode: 0, stdout: 'started\n' });
      expect(await eventually(() => pidsWithArgument(t).length === 0, 10_000)).to.equal(true, `left over: ${pidsWithArgument(t)}`);
      // The host itself goes on serving.
      expect((await run(['echo', 'next'])).stdout).to.equal('next\n');
    });

    it('a finished command is released before a command started in the same step: its leftovers do not wait for that one', async () => {
      const t = sleepToken();
      const r = await run(['sh', '-c', `setsid sh -c "exec sleep ${t}" </dev/null >/dev/null 2>&1 & until grep -qs ${t} /proc/$!/cmdline; do :; done; echo started`]);
      expect(r).to.include({ exitCode: 0, stdout: 'started\n' });
      // Started in the step that finished the first: the host forgets the first, and kills its leftover, first.
      const next = run(['sleep', '5']);
      expect(await eventually(() => pidsWithArgument(t).length === 0, 2_000)).to.equal(true, `left over: ${pidsWithArgument(t)}`);
      groups.killAll();
      await next;
    });

    it('a host stopped by a command (SIGSTOP) is ended when a kill goes unanswered: the turn is not left hanging', async () => {
      const t = sleepToken();
      const controller = new AbortController();
      // The command stops the host (its parent's parent is the host: bash -> host), then sleeps.
      const pending = run(['bash', '-c', `kill -STOP $PPID; exec sleep ${t}`], { signal: controller.signal });
      expect(await eventually(() => pidsWithArgument(t).length === 1, 10_000)).to.equal(true, 'the sleep never ran');
      controller.abort();
      const r = await pending;
      expect(r).to.include({ exitCode: -1, aborted: true });
      expect(await eventually(() => pidsWithArgument(t).length === 0, 10_000)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
      expect((await run(['echo', 'fresh host'])).stdout).to.equal('fresh host\n');
    });

    it('the host killed mid-command ends that command (-1, SIGKILL) and the next command starts a fresh host', async () => {
      const t = sleepToken();
      const pending = run(['bash', '-c', `sleep ${t} & sleep ${t}; echo never`]);
      expect(await eventually(() => pidsWithArgument(t).length === 2, 10_000)).to.equal(true, 'the sleeps never ran');
      const { bwrap } = await hostProcesses(groups);
      process.kill(bwrap, 'SIGKILL');
      const r = await pending;
      expect(r).to.include({ exitCode: -1, signal: 'SIGKILL', timedOut: false, aborted: false, stdout: '' });
      expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
      const next = await run(['bash', '-c', 'echo again']);
      expect(next).to.include({ exitCode: 0, stdout: 'again\n' });
      expect((await hostProcesses(groups)).bwrap).to.not.equal(bwrap);
    });

    it('the host program dying inside its namespace ends its commands too (bwrap is killed with it)', async () => {
      const t = sleepToken();
      const pending = run(['bash', '-c', `setsid sleep ${t} & sleep ${t}`]);
      expect(await eventually(() => pidsWithArgument(t).length === 2, 10_000)).to.equal(true, 'the sleeps never ran');
      const { program: host, bwrap } = await hostProcesses(groups);
      expect(host).to.have.length(1);
      process.kill(host[0], 'SIGKILL');
      expect(await pending).to.include({ exitCode: -1, signal: 'SIGKILL' });
      expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
      expect(await eventually(() => !isAlive(bwrap))).to.equal(true, 'bwrap survived');
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

    it('runs a file without a #! line through /bin/sh, as execvp does, by path and found along PATH', async () => {
      writeFileSync(join(dir, 'no-interpreter'), 'echo "sh ran $1"\n');
      chmodSync(join(dir, 'no-interpreter'), 0o755);
      expect(await run([join(dir, 'no-interpreter'), 'by path'])).to.include({ exitCode: 0, stdout: 'sh ran by path\n' });
      expect(await run(['no-interpreter', 'by name'], { env: { ...testEnv(), PATH: `${dir}:/usr/bin:/bin` } })).to.include({ exitCode: 0, stdout: 'sh ran by name\n' });
    });

    it("a name found in a relative PATH entry is looked up along the command's PATH from its working folder", async () => {
      mkdirSync(join(dir, 'tools'));
      writeFileSync(join(dir, 'tools', 'relative-tool'), '#!/bin/sh\necho "relative $1 in $PWD"\n');
      chmodSync(join(dir, 'tools', 'relative-tool'), 0o755);
      const r = await run(['relative-tool', 'found'], { env: { ...testEnv(), PATH: 'tools:/usr/bin:/bin' } });
      expect(r).to.include({ exitCode: 0, stdout: `relative found in ${dir}\n` });
      // Found there without a #! line: run by /bin/sh, as execvp does.
      writeFileSync(join(dir, 'tools', 'plain-tool'), 'echo "plain $1"\n');
      chmodSync(join(dir, 'tools', 'plain-tool'), 0o755);
      expect(await run(['plain-tool', 'ran'], { env: { ...testEnv(), PATH: 'nowhere:tools:/usr/bin:/bin' } })).to.include({ exitCode: 0, stdout: 'plain ran\n' });
    });

    it('passes a lone surrogate of the JSON (the model can send one) as U+FFFD, in arguments and the environment', async () => {
      const r = await run(['sh', '-c', 'printf "%s|%s" "$1" "$LONE"', 'sh', 'a\ud800b'], { env: { ...testEnv(), LONE: 'c\udc80d' } });
      expect(r).to.include({ exitCode: 0, stdout: 'a\ufffdb|c\ufffdd' });
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

    it('a host that comes up after the keeper was stopped (server shutting down) is killed, not kept', async () => {
      // Hosts of this process that other specs' servers keep: not this keeper's.
      const hosts = () => descendants(process.pid).filter((pid) => cmdline(pid).some(isCommandHostArg));
      const before = new Set(hosts());
      // A host that fails to start would also give undefined: that is a failure here.
      const keeper = new CommandHostKeeper(new Lifeline(), { warn: (message) => expect.fail(message), programs: [program] });
      const starting = keeper.get();
      keeper.stop();
      expect(await starting).to.equal(undefined);
      expect(await keeper.get()).to.equal(undefined);
      const added = () => hosts().filter((pid) => !before.has(pid));
      expect(await eventually(() => added().length === 0, 10_000)).to.equal(true, `hosts left: ${added()}`);
    });

    it('a host that cannot start is said once and not tried again (commands are then wrapped one by one)', async () => {
      const warnings: string[] = [];
      const lifeline = new Lifeline();
      const broken = join(dir, 'broken-host.cjs');
      writeFileSync(broken, 'process.exit(3);\n');
      const keeper = new CommandHostKeeper(lifeline, { warn: (m) => warnings.push(m), programs: [{ name: 'broken', argv: [process.execPath, broken] }] });
      expect(await keeper.get()).to.equal(undefined);
      expect(await keeper.get()).to.equal(undefined);
      expect(warnings).to.have.length(1);
      expect(warnings).to.deep.equal(['the command host cannot start (broken: it exited (status 3)); each unsandboxed command gets a pid namespace of its own']);
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

describe('process: which command host program starts', function () {
  let dir: string;
  before(async function () {
    if ((await new Lifeline().probe()).kind !== 'pid-namespace') this.skip();
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'agentwire-host-programs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the Python host first where the system has python3, then the Node host; only the Node one without python3', () => {
    const found = commandHostPrograms();
    expect(found.map((p) => p.name)).to.deep.equal(['python', 'node']);
    // Not along the server's PATH (a folder there may be the model's to write): the system's python3.
    expect(['/usr/bin/python3', '/bin/python3', '/usr/local/bin/python3']).to.include(found[0].argv[0]);
    expect(found[0].argv.slice(1)).to.deep.equal(['-I', '-S', join(__dirname, '..', '..', 'src', 'process', 'command-host.py')]);
    expect(commandHostPrograms(undefined, dir).map((p) => p.name)).to.deep.equal(['node']);
    // A version manager's shim (a script) is passed over for the program further along PATH.
    writeFileSync(join(dir, 'python3'), '#!/bin/sh\nexec /usr/bin/python3 "$@"\n');
    chmodSync(join(dir, 'python3'), 0o755);
    expect(commandHostPrograms(undefined, dir).map((p) => p.name)).to.deep.equal(['node']);
    const [python] = commandHostPrograms(undefined, `${dir}:/usr/bin:/bin`);
    expect(python.name).to.equal('python');
    expect(python.argv[0]).to.not.equal(join(dir, 'python3'));
    expect(readFileSync(python.argv[0]).subarray(0, 4).toString('latin1')).to.equal('\x7fELF');
  });

  it('a program that cannot start gives way to the next, silently, and is not tried again', async () => {
    const tries = join(dir, 'tries');
    const failing: CommandHostProgram = { name: 'failing', argv: [process.execPath, '-e', `require('fs').appendFileSync(${JSON.stringify(tries)}, 'x'); process.exit(3)`] };
    const node = commandHostPrograms().find((p) => p.name === 'node')!;
    const keeper = new CommandHostKeeper(new Lifeline(), { warn: (message) => expect.fail(message), programs: [failing, node] });
    try {
      const first = await keeper.get();
      expect(first?.alive).to.equal(true);
      expect(readFileSync(tries, 'utf8')).to.equal('x');
      // A host that died is replaced by the program that worked.
      first!.stop();
      const second = await keeper.get();
      expect(second?.alive).to.equal(true);
      expect(second).to.not.equal(first);
      expect(readFileSync(tries, 'utf8')).to.equal('x');
    } finally {
      keeper.stop();
    }
  });
});
