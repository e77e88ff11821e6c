import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture, ROOTS_WITHOUT_TMP } from '../support/engine-home';
import { skipWithoutSandbox } from '../support/machine';

/**
 * The writable roots of workspace-write belong to the conversation's cwd, not to the `workdir` the
 * model gives a command: a workdir outside the project must not become writable.
 */
describe('the sandbox and a model-chosen workdir (workspace-write, never)', function () {
  let f: EngineFixture | undefined;
  let outside: string;

  before(async function () {
    await skipWithoutSandbox(this);
  });
  beforeEach(async () => {
    f = await EngineFixture.start({
      approvalPolicy: 'never',
      sandboxMode: 'workspace-write',
      extra: ROOTS_WITHOUT_TMP,
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
