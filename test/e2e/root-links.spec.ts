import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EngineFixture } from '../support/engine-home';
import { skipWithoutSandbox } from '../support/machine';

/*
 * Red-team finding after issue 18: the sandbox's writable roots were bound by their real paths,
 * re-resolved before every command, and a command may write /tmp (a default root). When the project
 * (or $TMPDIR, or a writable_roots entry) lies below /tmp, one sandboxed command can move the
 * project's parent away and put a symbolic link under the project's name; the next command then got
 * the link's target bound read-write: any folder of the user's, no approval asked.
 */

/** A folder outside every writable root: /tmp is one, so not there. */
function outsideTmp(): string | undefined {
  for (const base of ['/var/tmp', process.env.HOME]) {
    if (!base || base.startsWith('/tmp')) continue;
    try {
      return mkdtempSync(join(base, 'agentwire-root-link-'));
    } catch {
      // not writable here
    }
  }
  return undefined;
}

describe('a link planted on the way to a writable root does not make its target writable', function () {
  let f: EngineFixture | undefined;
  let outside: string | undefined;

  before(async function () {
    await skipWithoutSandbox(this);
  });
  afterEach(async () => {
    const work = f?.work;
    await f?.close();
    f = undefined;
    if (work) rmSync(`${work}-moved`, { recursive: true, force: true });
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  for (const policy of ['never', 'on-request'] as const) {
    it(`${policy} × workspace-write: project below /tmp, its parent swapped for a link`, async function () {
      outside = outsideTmp();
      if (!outside) {
        console.log('      skipped: no writable folder outside /tmp');
        return this.skip();
      }
      f = await EngineFixture.start({ approvalPolicy: policy, sandboxMode: 'workspace-write' });
      const project = join(f.work, 'proj');
      mkdirSync(project);
      const plant = `mv ${f.work} ${f.work}-moved && mkdir ${f.work} && ln -s ${outside} ${project}`;
      f.mock.enqueue(
        { kind: 'tool_call', name: 'shell', callId: 'plant', arguments: { command: ['bash', '-lc', plant] } },
        { kind: 'tool_call', name: 'shell', callId: 'write', arguments: { command: ['bash', '-lc', 'echo pwned > escaped.txt'] } },
        { kind: 'text', text: 'done' },
      );
      const id = await f.listenedConversation({ cwd: project });
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      // The planting command ran (it only writes /tmp), so the test cannot pass for want of a link.
      expect(existsSync(`${f.work}-moved/proj`), 'planting step ran').to.equal(true);
      expect(existsSync(join(outside, 'escaped.txt')), 'written outside the writable roots').to.equal(false);
      expect(
        f.events(id).some((e) => e.msg.type === 'exec_approval_request'),
        'asked',
      ).to.equal(false);
    });
  }

  it('never × workspace-write: $TMPDIR below /tmp, its parent swapped for a link', async function () {
    outside = outsideTmp();
    if (!outside) {
      console.log('      skipped: no writable folder outside /tmp');
      return this.skip();
    }
    // The fixture's work folder is made before the server starts, so its TMPDIR can point below it.
    const holder = mkdtempSync('/tmp/agentwire-tmpdir-');
    const tmpdirRoot = join(holder, 't');
    mkdirSync(tmpdirRoot);
    try {
      f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'workspace-write', env: { TMPDIR: tmpdirRoot } });
      const plant = `mv ${holder} ${holder}-moved && mkdir ${holder} && ln -s ${outside} ${tmpdirRoot}`;
      f.mock.enqueue(
        { kind: 'tool_call', name: 'shell', callId: 'plant', arguments: { command: ['bash', '-lc', plant] } },
        { kind: 'tool_call', name: 'shell', callId: 'write', arguments: { command: ['bash', '-lc', `echo pwned > ${tmpdirRoot}/escaped.txt`] } },
        { kind: 'text', text: 'done' },
      );
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(existsSync(`${holder}-moved/t`), 'planting step ran').to.equal(true);
      expect(existsSync(join(outside, 'escaped.txt')), 'written outside the writable roots').to.equal(false);
    } finally {
      rmSync(holder, { recursive: true, force: true });
      rmSync(`${holder}-moved`, { recursive: true, force: true });
    }
  });
});
