import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture, ROOTS_WITHOUT_TMP } from '../support/engine-home';
import { hasGit, skipWithoutSandbox } from '../support/machine';

/**
 * Known-safe commands need no approval but still run in the sandbox (APPROVAL.md §4, SANDBOX.md §3;
 * issue 18 finding 3). 0.29 ran them unsandboxed, so `git diff --output=…` wrote outside the roots
 * and `git status` ran a repository's fsmonitor command outside the sandbox.
 */

describe('known-safe commands run inside the sandbox', function () {
  let f: EngineFixture | undefined;
  let outside: string;

  before(async function () {
    await skipWithoutSandbox(this);
    if (!hasGit()) {
      console.log('      skipped: git is not installed');
      this.skip();
    }
  });
  beforeEach(() => {
    outside = mkdtempSync(join(tmpdir(), 'agentwire-safe-outside-'));
  });
  afterEach(async () => {
    await f?.close();
    f = undefined;
    rmSync(outside, { recursive: true, force: true });
  });

  const shell = (callId: string, command: string[], extra: Record<string, unknown> = {}) => ({
    kind: 'tool_call' as const,
    name: 'shell',
    callId,
    arguments: { command, ...extra },
  });

  /** Runs the calls in one turn and returns the conversation id and the tool outputs in order. */
  async function turn(fixture: EngineFixture, calls: ReturnType<typeof shell>[]): Promise<{ id: string; outputs: string[] }> {
    fixture.mock.enqueue(...calls, { kind: 'text', text: 'done' });
    const id = await fixture.listenedConversation();
    await fixture.send(id, 'go');
    await fixture.event(id, 'task_complete');
    const last = fixture.mock.requests[fixture.mock.requests.length - 1];
    const outputs = last.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content);
    return { id, outputs };
  }

  for (const [policy, sandboxMode] of [
    ['never', 'workspace-write'],
    ['on-request', 'workspace-write'],
    ['never', 'read-only'],
  ] as const) {
    it(`${policy} × ${sandboxMode}: git diff --no-index --output=<outside> writes nothing outside, without asking`, async () => {
      f = await EngineFixture.start({ approvalPolicy: policy, sandboxMode, extra: ROOTS_WITHOUT_TMP });
      writeFileSync(join(f.work, 'a'), 'one\n');
      writeFileSync(join(f.work, 'b'), 'two\n');
      const target = join(outside, 'f');
      const { id } = await turn(f, [shell('d', ['git', 'diff', '--no-index', `--output=${target}`, 'a', 'b'])]);
      expect(existsSync(target), 'file written outside the roots').to.equal(false);
      expect(
        f.events(id).some((e) => e.msg.type === 'exec_approval_request'),
        'asked',
      ).to.equal(false);
    });
  }

  for (const policy of ['never', 'on-request'] as const) {
    it(`${policy} × workspace-write: git status in a nested repo does not run its fsmonitor outside the sandbox`, async () => {
      f = await EngineFixture.start({ approvalPolicy: policy, sandboxMode: 'workspace-write', extra: ROOTS_WITHOUT_TMP });
      const marker = join(outside, 'fsmonitor-ran');
      const plant = `git init -q sub && printf '[core]\\n\\tfsmonitor = "touch ${marker}; false"\\n' >> sub/.git/config`;
      await turn(f, [
        shell('plant', ['bash', '-lc', plant]),
        shell('status1', ['bash', '-lc', 'cd sub && git status']),
        shell('status2', ['git', 'status'], { workdir: 'sub' }),
        shell('diff', ['git', 'diff'], { workdir: 'sub' }),
      ]);
      // The planting step ran (in the sandbox, allowed), so the test cannot pass for want of a hook.
      expect(readFileSync(join(f.work, 'sub', '.git', 'config'), 'utf8')).to.contain(`touch ${marker}`);
      expect(existsSync(marker), 'fsmonitor ran outside the sandbox').to.equal(false);
    });
  }

  // Every command runs in a pid namespace of its own (the sandbox, or the lifeline that ties unsandboxed commands to
  // the server), so pid 1 does not tell them apart; the sandbox's read-only bind of `/` does.
  function rootMountOptions(mountinfo: string): string {
    const line = mountinfo.split('\n').find((l) => l.split(' ')[4] === '/');
    return line?.split(' ')[5] ?? '';
  }

  it('a known-safe command runs in the sandbox (`/` mounted read-only)', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'read-only' });
    const { outputs } = await turn(f, [shell('c', ['cat', '/proc/self/mountinfo'])]);
    expect(rootMountOptions(JSON.parse(outputs[0]).output)).to.match(/^ro\b/);
  });

  it('danger-full-access still runs known-safe commands unsandboxed (`/` writable)', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'danger-full-access' });
    const { outputs } = await turn(f, [shell('c', ['cat', '/proc/self/mountinfo'])]);
    expect(rootMountOptions(JSON.parse(outputs[0]).output)).to.match(/^rw\b/);
  });

  for (const policy of ['untrusted', 'on-failure', 'never'] as const) {
    it(`${policy} × read-only: \`false\` and \`git status\` outside a repository are plain exits, not sandbox denials`, async () => {
      f = await EngineFixture.start({ approvalPolicy: policy, sandboxMode: 'read-only' });
      const { id, outputs } = await turn(f, [shell('f', ['false']), shell('g', ['git', 'status'])]);
      const ends = f
        .events(id)
        .filter((e) => e.msg.type === 'exec_command_end')
        .map((e) => e.msg.exit_code);
      expect(ends).to.deep.equal([1, 128]);
      expect(outputs.map((o) => JSON.parse(o).metadata.exit_code)).to.deep.equal([1, 128]);
      expect(
        f.events(id).some((e) => e.msg.type === 'exec_approval_request'),
        'asked',
      ).to.equal(false);
    });
  }
});

describe('known-safe commands when bubblewrap is missing', () => {
  let f: EngineFixture | undefined;
  let bin: string;

  beforeEach(() => {
    // A PATH that has `ls` and no bwrap: the server's sandbox check searches PATH.
    bin = mkdtempSync(join(tmpdir(), 'agentwire-nobwrap-'));
    symlinkSync(realpathSync(execFileSync('sh', ['-c', 'command -v ls'], { encoding: 'utf8' }).trim()), join(bin, 'ls'));
  });
  afterEach(async () => {
    await f?.close();
    f = undefined;
    rmSync(bin, { recursive: true, force: true });
  });

  async function run(approvalPolicy: string) {
    f = await EngineFixture.start({ approvalPolicy, sandboxMode: 'read-only', env: { PATH: bin } });
    const approvals: unknown[] = [];
    f.client.onRequest('execCommandApproval', (p) => (approvals.push(p), { decision: 'approved' }));
    writeFileSync(join(f.work, 'visible.txt'), 'x');
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'l', arguments: { command: ['ls'] } }, { kind: 'text', text: 'done' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    const last = f.mock.requests[f.mock.requests.length - 1];
    const tool = last.body.messages.find((m: { role: string }) => m.role === 'tool').content as string;
    return { id, tool, approvals };
  }

  it('never: refused with a clear message, not run, nobody asked', async () => {
    const { id, tool, approvals } = await run('never');
    expect(tool).to.equal('failed in sandbox: sandbox unavailable: bubblewrap (bwrap) is not installed; the command was not run');
    expect(approvals).to.deep.equal([]);
    expect(f!.events(id).find((e) => e.msg.type === 'exec_command_end')!.msg.exit_code).to.equal(-1);
  });

  it('on-failure: goes to the client, and runs (unsandboxed) only once approved', async () => {
    const { id, tool, approvals } = await run('on-failure');
    expect(approvals).to.have.length(1);
    const ends = f!
      .events(id)
      .filter((e) => e.msg.type === 'exec_command_end')
      .map((e) => e.msg.exit_code);
    expect(ends).to.deep.equal([-1, 0]);
    expect(JSON.parse(tool).output).to.equal('visible.txt\n');
  });
});
