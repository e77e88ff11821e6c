import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture, ROOTS_WITHOUT_TMP } from '../support/engine-home';
import { skipWithoutSandbox } from '../support/machine';

/*
 * issue 18, findings 1 and 2, end to end against the built server: a model that controls its
 * replies tries to get a patch written outside the writable roots through a symbolic link, or
 * into a `.git` folder, under workspace-write. /tmp and $TMPDIR are excluded from the roots so
 * that a fresh temporary folder is "outside".
 */

const OUTSIDE_REJECTED = 'patch rejected: writing outside of the project; rejected by user approval settings';
const GIT_REJECTED = 'patch rejected: writing inside a .git folder is not allowed while a sandbox is in use';

const shell = (callId: string, command: string[]) => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command } });
const patch = (callId: string, ...lines: string[]) => shell(callId, ['apply_patch', ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n')]);

/** The four ways a patch writes, each aimed through `link/`. */
const THROUGH_LINK = [
  patch('add', '*** Add File: link/pwned.txt', '+pwned'),
  patch('update', '*** Update File: link/x.txt', '@@', '-x', '+owned'),
  patch('delete', '*** Delete File: link/y.txt'),
  patch('move', '*** Update File: in.txt', '*** Move to: link/moved.txt', '@@', '-in', '+moved'),
];

/** Tool outputs the model got back, by call id. */
function toolOutputs(f: EngineFixture): Record<string, string> {
  const last = f.mock.requests[f.mock.requests.length - 1];
  const out: Record<string, string> = {};
  for (const m of last.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>) {
    if (m.role === 'tool' && m.tool_call_id) out[m.tool_call_id] = m.content;
  }
  return out;
}

describe('issue 18 #1: a patch through a symbolic link is judged by where it lands (workspace-write)', () => {
  let f: EngineFixture;
  let outside: string;
  let outsideReal: string;

  afterEach(async () => {
    await f?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  async function start(approvalPolicy: string): Promise<void> {
    f = await EngineFixture.start({ approvalPolicy, sandboxMode: 'workspace-write', extra: ROOTS_WITHOUT_TMP });
    outside = mkdtempSync(join(tmpdir(), 'agentwire-link-target-'));
    outsideReal = realpathSync(outside);
    writeFileSync(join(outside, 'x.txt'), 'x\n');
    writeFileSync(join(outside, 'y.txt'), 'y\n');
    writeFileSync(join(f.work, 'in.txt'), 'in\n');
  }

  function outsideUntouched(): void {
    expect(readdirSync(outside).sort()).to.deep.equal(['x.txt', 'y.txt']);
    expect(readFileSync(join(outside, 'x.txt'), 'utf8')).to.equal('x\n');
    expect(readFileSync(join(f.work, 'in.txt'), 'utf8')).to.equal('in\n');
  }

  async function runTurn(...steps: object[]): Promise<string> {
    f.mock.enqueue(...(steps as never[]), { kind: 'text', text: 'done' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    return id;
  }

  it('never: Add, Update, Delete and Move to through the link are rejected, nothing is written outside', async () => {
    await start('never');
    symlinkSync(outside, join(f.work, 'link'));
    const asked: unknown[] = [];
    f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'approved' }));
    const id = await runTurn(...THROUGH_LINK);
    expect(asked).to.deep.equal([]);
    expect(toolOutputs(f)).to.deep.equal({ add: OUTSIDE_REJECTED, update: OUTSIDE_REJECTED, delete: OUTSIDE_REJECTED, move: OUTSIDE_REJECTED });
    expect(f.events(id).some((e) => e.msg.type === 'patch_apply_begin')).to.equal(false);
    outsideUntouched();
  });

  it('never: the link made by the model itself (sandboxed ln -s) does not help either', async function () {
    await skipWithoutSandbox(this);
    await start('never');
    await runTurn(shell('ln', ['ln', '-s', outside, 'link']), THROUGH_LINK[0]);
    expect(realpathSync(join(f.work, 'link'))).to.equal(outsideReal);
    expect(toolOutputs(f).add).to.equal(OUTSIDE_REJECTED);
    outsideUntouched();
  });

  it('on-request: each is asked with the real path, and a denial writes nothing', async () => {
    await start('on-request');
    symlinkSync(outside, join(f.work, 'link'));
    const asked: Array<Record<string, unknown>> = [];
    f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'denied' }));
    await runTurn(...THROUGH_LINK);
    expect(asked.map((p) => p.file_changes)).to.deep.equal([
      { [join(outsideReal, 'pwned.txt')]: { add: { content: 'pwned\n' } } },
      { [join(outsideReal, 'x.txt')]: { update: { unified_diff: '@@ -1 +1 @@\n-x\n+owned\n', move_path: null } } },
      { [join(outsideReal, 'y.txt')]: { delete: { content: 'y\n' } } },
      { [join(f.work, 'in.txt')]: { update: { unified_diff: '@@ -1 +1 @@\n-in\n+moved\n', move_path: join(outsideReal, 'moved.txt') } } },
    ]);
    expect(toolOutputs(f)).to.deep.equal({ add: 'patch rejected by user', update: 'patch rejected by user', delete: 'patch rejected by user', move: 'patch rejected by user' });
    outsideUntouched();
  });

  it('untrusted: the approval request and its event show the real path, not the in-project name', async () => {
    await start('untrusted');
    symlinkSync(outside, join(f.work, 'link'));
    const asked: Array<Record<string, unknown>> = [];
    f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'denied' }));
    const id = await runTurn(THROUGH_LINK[0]);
    const real = join(outsideReal, 'pwned.txt');
    expect(Object.keys(asked[0].file_changes as object)).to.deep.equal([real]);
    const event = f.events(id).find((e) => e.msg.type === 'apply_patch_approval_request')!;
    expect(Object.keys(event.msg.changes)).to.deep.equal([real]);
    outsideUntouched();
  });

  it('untrusted: an exec approval names the real folder of a workdir reached through a link', async () => {
    await start('untrusted');
    symlinkSync(outside, join(f.work, 'link'));
    const asked: Array<Record<string, unknown>> = [];
    f.client.onRequest('execCommandApproval', (p) => (asked.push(p), { decision: 'denied' }));
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'touch', arguments: { command: ['touch', 'made.txt'], workdir: 'link' } }, { kind: 'text', text: 'done' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    expect(asked.map((p) => p.cwd)).to.deep.equal([outsideReal]);
    expect(f.events(id).find((e) => e.msg.type === 'exec_approval_request')!.msg.cwd).to.equal(outsideReal);
    outsideUntouched();
  });

  it('on-request: a patch through a link that stays in the project is applied without asking', async () => {
    await start('on-request');
    mkdirSync(join(f.work, 'sub'));
    symlinkSync('sub', join(f.work, 'inlink'));
    const asked: unknown[] = [];
    f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'denied' }));
    await runTurn(patch('ok', '*** Add File: inlink/ok.txt', '+ok'));
    expect(asked).to.deep.equal([]);
    expect(readFileSync(join(f.work, 'sub', 'ok.txt'), 'utf8')).to.equal('ok\n');
  });
});

describe('issue 18 #2: a patch may not write a .git folder (workspace-write)', () => {
  let f: EngineFixture;
  const CONFIG = '[core]\n\trepositoryformatversion = 0\n';

  afterEach(async () => f?.close());

  async function start(approvalPolicy: string, sandboxMode = 'workspace-write'): Promise<void> {
    f = await EngineFixture.start({ approvalPolicy, sandboxMode, extra: ROOTS_WITHOUT_TMP });
    mkdirSync(join(f.work, '.git'));
    writeFileSync(join(f.work, '.git', 'config'), CONFIG);
    mkdirSync(join(f.work, 'nested', '.git'), { recursive: true });
    writeFileSync(join(f.work, 'nested', '.git', 'config'), CONFIG);
    writeFileSync(join(f.work, 'plain.txt'), 'plain\n');
  }

  /** Appending an fsmonitor command, adding a hook, and moving a file into and out of .git. */
  const INTO_GIT = [
    patch('config', '*** Update File: .git/config', '@@', ' \trepositoryformatversion = 0', '+\tfsmonitor = "touch /tmp/agentwire-pwned"'),
    patch('nested', '*** Update File: nested/.git/config', '@@', ' \trepositoryformatversion = 0', '+\tfsmonitor = "touch /tmp/agentwire-pwned"'),
    patch('hook', '*** Add File: .git/hooks/pre-commit', '+#!/bin/sh', '+touch /tmp/agentwire-pwned'),
    patch('movein', '*** Update File: plain.txt', '*** Move to: .git/info/attributes', '@@', '-plain', '+* diff=evil'),
    patch('moveout', '*** Update File: .git/config', '*** Move to: config.txt', '@@', ' \trepositoryformatversion = 0'),
    patch('viaslink', '*** Update File: gitlink/config', '@@', ' \trepositoryformatversion = 0', '+\tfsmonitor = "touch /tmp/agentwire-pwned"'),
  ];

  function gitUntouched(): void {
    expect(readFileSync(join(f.work, '.git', 'config'), 'utf8')).to.equal(CONFIG);
    expect(readFileSync(join(f.work, 'nested', '.git', 'config'), 'utf8')).to.equal(CONFIG);
    expect(existsSync(join(f.work, '.git', 'hooks'))).to.equal(false);
    expect(existsSync(join(f.work, '.git', 'info'))).to.equal(false);
    expect(readFileSync(join(f.work, 'plain.txt'), 'utf8')).to.equal('plain\n');
    expect(existsSync(join(f.work, 'config.txt'))).to.equal(false);
  }

  for (const policy of ['never', 'on-request', 'untrusted']) {
    it(`${policy}: every write into or out of .git is rejected without asking`, async () => {
      await start(policy);
      symlinkSync('.git', join(f.work, 'gitlink'));
      const asked: unknown[] = [];
      f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'approved' }));
      f.mock.enqueue(...INTO_GIT, { kind: 'text', text: 'done' });
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(asked).to.deep.equal([]);
      expect(toolOutputs(f)).to.deep.equal(Object.fromEntries(INTO_GIT.map((s) => [s.callId, GIT_REJECTED])));
      gitUntouched();
    });
  }

  it('on-request: patches next to .git still apply (.gitignore, .github)', async () => {
    await start('on-request');
    f.mock.enqueue(patch('ok', '*** Add File: .gitignore', '+node_modules', '*** Add File: .github/ci.yml', '+on: push'), { kind: 'text', text: 'done' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    expect(readFileSync(join(f.work, '.gitignore'), 'utf8')).to.equal('node_modules\n');
    expect(readFileSync(join(f.work, '.github', 'ci.yml'), 'utf8')).to.equal('on: push\n');
  });

  it('danger-full-access: the user turned the sandbox off, so the table decides (applied under never)', async () => {
    await start('never', 'danger-full-access');
    f.mock.enqueue(INTO_GIT[0], { kind: 'text', text: 'done' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    expect(readFileSync(join(f.work, '.git', 'config'), 'utf8')).to.equal(`${CONFIG}\tfsmonitor = "touch /tmp/agentwire-pwned"\n`);
  });
});
