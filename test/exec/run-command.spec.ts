import { expect } from 'chai';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CAPTURE_BYTES, runCommand, runSandboxed, SandboxProbe, BWRAP_MISSING_REASON, type RunCommandOptions } from '../../src/exec';
import { ProcessGroups } from '../../src/process/process-groups';
import { Lifeline } from '../../src/process/lifeline';
import { eventually, neverAborted, pidsWithArgument, sleepToken, testEnv } from './helpers';

/** The server's registry, whose lifeline ties unsandboxed commands to this process. */
const testGroups = new ProcessGroups();

function run(argv: string[], extra: Partial<RunCommandOptions> = {}) {
  return runCommand({ argv, cwd: process.cwd(), env: testEnv(), timeoutMs: 10_000, signal: neverAborted(), groups: testGroups, ...extra });
}

/** Whether unsandboxed commands run in a pid namespace of their own on this machine. */
async function inPidNamespace(): Promise<boolean> {
  return (await new Lifeline().probe()).kind === 'pid-namespace';
}

describe('exec: runCommand', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-exec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports exit codes, stdout and stderr', async () => {
    const ok = await run(['true']);
    expect(ok).to.include({ exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, sandboxed: false });
    const failed = await run(['bash', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failed).to.include({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(failed.spawnError).to.equal(undefined);
    expect(failed.durationMs).to.be.a('number').and.be.greaterThan(0);
  });

  it('interleaves stdout and stderr in arrival order in aggregated', async () => {
    const r = await run(['bash', '-c', 'echo a; sleep 0.05; echo b >&2; sleep 0.05; echo c; sleep 0.05; echo d >&2']);
    expect(r.aggregated).to.equal('a\nb\nc\nd\n');
    expect(r.stdout).to.equal('a\nc\n');
    expect(r.stderr).to.equal('b\nd\n');
  });

  it('passes exactly the given environment and no shell', async () => {
    const r = await run(['env'], { env: testEnv({ AGENTWIRE_PROBE: 'x y $HOME' }) });
    // Node itself passes NODE_V8_COVERAGE to every child while coverage is collected (npm test).
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('NODE_V8_COVERAGE='))
      .sort();
    // bubblewrap sets PWD (to the cwd), as for sandboxed commands.
    const pwd = (await inPidNamespace()) ? [`PWD=${process.cwd()}`] : [];
    expect(lines).to.deep.equal([`LANG=C`, 'AGENTWIRE_PROBE=x y $HOME', `PATH=${process.env.PATH}`, ...pwd].sort());
  });

  it('runs in the given cwd with stdin at /dev/null', async () => {
    const r = await run(['bash', '-c', 'pwd; readlink /proc/self/fd/0; cat'], { cwd: dir });
    expect(r.stdout).to.equal(`${realpathSync(dir)}\n/dev/null\n`);
    expect(r.exitCode).to.equal(0);
  });

  it('reports a missing program as a spawn error with exit code 127', async () => {
    // A PATH of searchable folders only: execvp reports EACCES rather than ENOENT if any entry is unreadable.
    const r = await run(['agentwire-no-such-program-xyz'], { env: { PATH: '/usr/bin:/bin' } });
    expect(r).to.include({ exitCode: 127, spawnError: 'No such file or directory (os error 2)', timedOut: false });
  });

  it('streams output chunks as they arrive', async () => {
    const seen: { stream: string; text: string; at: number }[] = [];
    const r = await run(['bash', '-c', 'echo one; sleep 0.5; echo two >&2'], {
      onOutput: (stream, chunk) => seen.push({ stream, text: chunk.toString(), at: Date.now() }),
    });
    const end = Date.now();
    expect(seen.map((s) => [s.stream, s.text])).to.deep.equal([
      ['stdout', 'one\n'],
      ['stderr', 'two\n'],
    ]);
    expect(end - seen[0].at).to.be.greaterThan(300);
    expect(r.aggregated).to.equal('one\ntwo\n');
  });

  it('keeps the first MiB of each stream, counts the rest, and still streams everything', async () => {
    let streamed = 0;
    const r = await run(['head', '-c', '3000000', '/dev/zero'], { onOutput: (_s, c) => (streamed += c.length) });
    expect(r.exitCode).to.equal(0);
    expect(streamed).to.equal(3_000_000);
    expect(r.stdout.length).to.equal(MAX_CAPTURE_BYTES);
    expect(r.aggregated.length).to.equal(MAX_CAPTURE_BYTES);
    expect(r.droppedBytes).to.deep.equal({ stdout: 3_000_000 - MAX_CAPTURE_BYTES, stderr: 0, aggregated: 3_000_000 - MAX_CAPTURE_BYTES });
  });

  it('kills the whole process group, grandchild included, on timeout', async () => {
    const groups = new ProcessGroups();
    const t = sleepToken();
    const started = Date.now();
    const pending = run(['bash', '-c', `sleep ${t} & sleep ${t}`], { timeoutMs: 3000, groups });
    const ran = await eventually(() => pidsWithArgument(t).length === 2, 3000);
    const r = await pending;
    expect(Date.now() - started).to.be.lessThan(8000);
    expect(r).to.include({ exitCode: -1, timedOut: true, aborted: false });
    expect(ran).to.equal(true);
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `still alive: ${pidsWithArgument(t)}`);
    expect(groups.size).to.equal(0);
  });

  it('kills the whole process group when the signal aborts', async () => {
    const ac = new AbortController();
    const t = sleepToken();
    const pending = run(['bash', '-c', `sleep ${t} & wait`], { signal: ac.signal });
    expect(await eventually(() => pidsWithArgument(t).length === 1, 10_000)).to.equal(true);
    ac.abort();
    const r = await pending;
    expect(r).to.include({ exitCode: -1, aborted: true, timedOut: false });
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `still alive: ${pidsWithArgument(t)}`);
  });

  it('does not start anything when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const marker = join(dir, 'ran');
    const r = await run(['touch', marker], { signal: ac.signal });
    expect(r).to.include({ exitCode: -1, aborted: true });
    expect(existsSync(marker)).to.equal(false);
  });

  it('does not hang on a background grandchild that holds stdout open, and kills it', async () => {
    const started = Date.now();
    const t = sleepToken();
    const r = await run(['bash', '-c', `sleep ${t} & echo started`]);
    expect(Date.now() - started).to.be.lessThan(3000);
    expect(r).to.include({ exitCode: 0, timedOut: false, stdout: 'started\n' });
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true);
  });

  it('stops waiting for a grandchild that keeps writing after the direct child exited', async () => {
    // The direct child exits at once; its grandchild keeps the pipes busy, so idle grace alone would never end.
    const started = Date.now();
    const t = sleepToken();
    const r = await run(['bash', '-c', `(while :; do echo x; sleep 0.01; done) & sleep ${t} & echo started`], { timeoutMs: 60_000 });
    expect(r.exitCode).to.equal(0);
    expect(Date.now() - started).to.be.lessThan(5000);
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true);
  });

  it('reports death by signal as -1 (128 + the signal from inside a pid namespace, as a shell does)', async () => {
    const r = await run(['bash', '-c', 'kill -KILL $$']);
    // bwrap, the init of the namespace, reports its child's death by signal as exit status 137.
    if (await inPidNamespace()) expect(r).to.include({ exitCode: 137, timedOut: false, aborted: false });
    else expect(r).to.include({ exitCode: -1, signal: 'SIGKILL', timedOut: false, aborted: false });
  });

  it('refuses to run unsandboxed when the sandbox is required but bwrap is missing', async () => {
    const marker = join(dir, 'ran');
    const probe = new SandboxProbe({ searchPath: '/nonexistent-agentwire' });
    const r = await runSandboxed({ argv: ['touch', marker], cwd: dir, env: testEnv(), timeoutMs: 10_000, signal: neverAborted() }, { policy: { mode: 'workspace-write' }, probe });
    expect(r).to.include({ exitCode: -1, sandboxUnavailable: BWRAP_MISSING_REASON, sandboxed: false });
    expect(existsSync(marker)).to.equal(false);
  });

  it('runs danger-full-access plainly even with a sandbox plan', async () => {
    const probe = new SandboxProbe({ searchPath: '/nonexistent-agentwire' });
    const r = await runSandboxed(
      { argv: ['true'], cwd: process.cwd(), env: testEnv(), timeoutMs: 10_000, signal: neverAborted() },
      { policy: { mode: 'danger-full-access' }, probe },
    );
    expect(r).to.include({ exitCode: 0, sandboxed: false });
  });
});
