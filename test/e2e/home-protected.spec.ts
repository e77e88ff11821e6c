import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineFixture } from '../support/engine-home';
import { skipWithoutSandbox } from '../support/machine';

/*
 * Red-team finding after issue 18: the agentwire home ($CODEX_HOME: config.toml, auth.json,
 * sessions/) was writable by the model whenever it lay inside a writable root: a conversation whose
 * cwd is the user's home folder (then ~/.codex is in the project), a writable_roots entry above
 * it, or a home below /tmp. A command or a patch could then add `notify = [...]` (run unsandboxed
 * after every turn) or `sandbox_mode = "danger-full-access"` to config.toml for the next start,
 * or rewrite a rollout's settings: policy taken from a file the model wrote. The home is kept
 * read-only in the sandbox, like `.git`, and patches into it are refused. Here the fixture's home
 * lies below /tmp, a default writable root.
 */
describe('the agentwire home is not writable by the model', function () {
  let f: EngineFixture | undefined;

  before(async function () {
    await skipWithoutSandbox(this);
  });
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  for (const policy of ['never', 'on-request'] as const) {
    it(`${policy} × workspace-write: neither a command nor a patch changes config.toml`, async () => {
      f = await EngineFixture.start({ approvalPolicy: policy, sandboxMode: 'workspace-write' });
      const config = join(f.home.path, 'config.toml');
      const before = readFileSync(config, 'utf8');
      expect(config.startsWith('/tmp/'), 'the home lies in a writable root').to.equal(true);
      const patchText = [
        '*** Begin Patch',
        `*** Add File: ${join(f.home.path, 'sessions', 'planted.jsonl')}`,
        '+{}',
        `*** Update File: ${config}`,
        '@@',
        `-${before.split('\n')[0]}`,
        '+notify = ["touch", "/tmp/pwned"]',
        '*** End Patch',
        '',
      ].join('\n');
      f.mock.enqueue(
        { kind: 'tool_call', name: 'shell', callId: 'cmd', arguments: { command: ['bash', '-lc', `echo 'notify = ["touch", "/tmp/pwned"]' >> ${config}`] } },
        { kind: 'tool_call', name: 'shell', callId: 'patch', arguments: { command: ['apply_patch', patchText] } },
        { kind: 'text', text: 'done' },
      );
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(readFileSync(config, 'utf8')).to.equal(before);
      expect(
        f.events(id).some((e) => e.msg.type === 'exec_approval_request' || e.msg.type === 'apply_patch_approval_request'),
        'asked',
      ).to.equal(false);
    });
  }
});
