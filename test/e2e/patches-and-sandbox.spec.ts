import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture, ROOTS_WITHOUT_TMP } from '../support/engine-home';
import { skipWithoutSandbox } from '../support/machine';

const patchCall = (patch: string, callId = 'p1') => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['apply_patch', patch] } });

describe('apply_patch through the shell tool', () => {
  let f: EngineFixture;
  afterEach(async () => f.close());

  it('asks with applyPatchApproval, applies, and reports patch events and turn_diff', async () => {
    f = await EngineFixture.start();
    writeFileSync(join(f.work, 'greet.txt'), 'hello\n');
    f.mock.enqueue(patchCall('*** Begin Patch\n*** Add File: hello.txt\n+hello world\n*** Update File: greet.txt\n@@\n-hello\n+hello, patched\n*** End Patch\n'), {
      kind: 'text',
      text: 'patched',
    });
    const asked: any[] = [];
    f.client.onRequest('applyPatchApproval', (p) => (asked.push(p), { decision: 'approved' }));
    const id = await f.listenedConversation();
    await f.send(id, 'apply a patch');
    await f.event(id, 'task_complete');
    expect(readFileSync(join(f.work, 'hello.txt'), 'utf8')).to.equal('hello world\n');
    expect(readFileSync(join(f.work, 'greet.txt'), 'utf8')).to.equal('hello, patched\n');
    expect(asked[0].file_changes).to.deep.equal({
      [join(f.work, 'greet.txt')]: { update: { unified_diff: '@@ -1 +1 @@\n-hello\n+hello, patched\n', move_path: null } },
      [join(f.work, 'hello.txt')]: { add: { content: 'hello world\n' } },
    });
    const types = f.events(id).map((e) => e.msg.type);
    const order = ['apply_patch_approval_request', 'patch_apply_begin', 'patch_apply_end', 'turn_diff'].map((t) => types.indexOf(t));
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(order).not.to.include(-1);
    expect(types.slice(-2)).to.deep.equal(['turn_diff', 'task_complete']);
    const end = f.events(id).find((e) => e.msg.type === 'patch_apply_end')!;
    expect(end.msg).to.deep.include({ success: true, stdout: 'Success. Updated the following files:\nA hello.txt\nM greet.txt\n' });
    expect(f.events(id).find((e) => e.msg.type === 'patch_apply_begin')!.msg.auto_approved).to.equal(false);
    const [, second] = await f.mock.waitForRequests(2);
    const tool = second.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(JSON.parse(tool.content).output).to.equal('Success. Updated the following files:\nA hello.txt\nM greet.txt\n');
  });

  it('a patch that fails leaves every file as it was and tells the model why', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    writeFileSync(join(f.work, 'a.txt'), 'one\n');
    writeFileSync(join(f.work, 'b.txt'), 'two\n');
    f.mock.enqueue(patchCall('*** Begin Patch\n*** Update File: a.txt\n@@\n-one\n+ONE\n*** Update File: b.txt\n@@\n-zzz\n+ZZZ\n*** End Patch\n'), {
      kind: 'text',
      text: 'could not',
    });
    const id = await f.listenedConversation();
    await f.send(id, 'patch');
    await f.event(id, 'task_complete');
    expect(readFileSync(join(f.work, 'a.txt'), 'utf8')).to.equal('one\n');
    expect(readFileSync(join(f.work, 'b.txt'), 'utf8')).to.equal('two\n');
    const [, second] = await f.mock.waitForRequests(2);
    const tool = second.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).to.equal(`error: Failed to find expected lines ["zzz"] in ${join(f.work, 'b.txt')}`);
  });

  it('a denied patch is not applied', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue(patchCall('*** Begin Patch\n*** Add File: no.txt\n+x\n*** End Patch\n'), { kind: 'text', text: 'fine' });
    f.client.onRequest('applyPatchApproval', () => ({ decision: 'denied' }));
    const id = await f.listenedConversation();
    await f.send(id, 'patch');
    await f.event(id, 'task_complete');
    expect(existsSync(join(f.work, 'no.txt'))).to.equal(false);
    const [, second] = await f.mock.waitForRequests(2);
    expect(second.body.messages.find((m: { role: string }) => m.role === 'tool').content).to.equal('patch rejected by user');
  });

  it('takes the bash -lc heredoc form', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    f.mock.enqueue(
      {
        kind: 'tool_call',
        name: 'shell',
        callId: 'h',
        arguments: { command: ['bash', '-lc', "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: here.txt\n+heredoc\n*** End Patch\nEOF\n"] },
      },
      { kind: 'text', text: 'ok' },
    );
    const id = await f.listenedConversation();
    await f.send(id, 'patch');
    await f.event(id, 'task_complete');
    expect(readFileSync(join(f.work, 'here.txt'), 'utf8')).to.equal('heredoc\n');
    expect(f.events(id).some((e) => e.msg.type === 'exec_command_begin')).to.equal(false);
  });
});

describe('the bubblewrap sandbox (workspace-write, on-request)', function () {
  let f: EngineFixture;
  let outside: string;
  let server: Server | undefined;

  before(async function () {
    await skipWithoutSandbox(this);
  });

  beforeEach(async () => {
    f = await EngineFixture.start({
      approvalPolicy: 'on-request',
      sandboxMode: 'workspace-write',
      extra: ROOTS_WITHOUT_TMP,
    });
    outside = mkdtempSync(join(tmpdir(), 'agentwire-sbx-outside-'));
  });
  afterEach(async () => {
    server?.close();
    server = undefined;
    await f?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  async function run(command: string[]) {
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'sb', arguments: { command } }, { kind: 'text', text: 'reported' });
    const id = await f.listenedConversation();
    await f.send(id, 'run');
    await f.event(id, 'task_complete');
    const [, second] = await f.mock.waitForRequests(2);
    return { id, tool: second.body.messages.find((m: { role: string }) => m.role === 'tool').content as string };
  }

  it('a write inside cwd works', async () => {
    await run(['bash', '-c', 'echo ok > inside.txt']);
    expect(readFileSync(join(f.work, 'inside.txt'), 'utf8')).to.equal('ok\n');
  });

  it('a write outside the writable roots fails and is reported as a sandbox failure', async () => {
    const target = join(outside, 'escape.txt');
    const { tool, id } = await run(['bash', '-c', `echo no > ${target}`]);
    expect(existsSync(target)).to.equal(false);
    expect(tool).to.match(/^failed in sandbox/);
    expect(f.events(id).find((e) => e.msg.type === 'exec_command_end')!.msg.exit_code).to.equal(-1);
  });

  it('network is off', async () => {
    server = createServer((s) => s.end('hi'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const { tool } = await run([
      'node',
      '-e',
      `require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.error(e.code); process.exit(3); })`,
    ]);
    expect(tool).not.to.contain('connected');
  });
});
