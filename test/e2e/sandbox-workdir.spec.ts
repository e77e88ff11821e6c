import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxProbe } from '../../src/exec';
import { EngineFixture } from '../support/engine-home';

/**
 * The writable roots of workspace-write belong to the conversation's cwd, not to the `workdir` the
 * model gives a command: a workdir outside the project must not become writable.
 */
describe('the sandbox and a model-chosen workdir (workspace-write, never)', function () {
  let f: EngineFixture | undefined;
  let outside: string;

  before(async function () {
    const probe = await new SandboxProbe().probe();
    if (!probe.available) {
      console.log(`      skipped: bubblewrap cannot create a sandbox here (${probe.reason})`);
      this.skip();
    }
  });
  beforeEach(async () => {
    f = await EngineFixture.start({
      approvalPolicy: 'never',
      sandboxMode: 'workspace-write',
      extra: '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n',
    });
    outside = mkdtempSync(join(tmpdir(), 'agentwire-workdir-outside-'));
  });
  afterEach(async () => {
    await f?.close();
    f = undefined;
    rmSync(outside, { recursive: true, force: true });
  });

  async function touchIn(workdir: string, name: string): Promise<string> {
    f!.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'w', arguments: { command: ['touch', name], workdir } }, { kind: 'text', text: 'done' });
    const id = await f!.listenedConversation();
    await f!.send(id, 'go');
    await f!.event(id, 'task_complete');
    const last = f!.mock.requests[f!.mock.requests.length - 1];
    return last.body.messages.find((m: { role: string }) => m.role === 'tool').content as string;
  }

  it('a workdir outside the roots stays read-only', async () => {
    const tool = await touchIn(outside, 'pwned');
    expect(existsSync(join(outside, 'pwned')), 'written outside the roots').to.equal(false);
    expect(tool).to.match(/^failed in sandbox/);
  });

  it('a workdir inside the project is still writable', async () => {
    mkdirSync(join(f!.work, 'sub'));
    await touchIn('sub', 'made');
    expect(existsSync(join(f!.work, 'sub', 'made'))).to.equal(true);
  });
});
