import { expect } from 'chai';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineFixture } from '../support/engine-home';

/*
 * Red-team finding after issue 18: the patch planner read a whole target file, whatever its size,
 * into memory and put its text into the events (`changes`). A model that can write the project
 * makes a sparse file of NUL bytes (`truncate -s 100M big`, no disk space used) and asks for
 * `*** Delete File: big`: the server held hundreds of MB per patch, and the event with the text
 * (six characters per NUL once in JSON) could not even be serialised. A patch target larger than
 * the limit is refused with a clear message instead.
 */

describe('a patch on a huge file is refused, not read', () => {
  let f: EngineFixture | undefined;

  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  for (const verb of ['Delete', 'Update'] as const) {
    it(`never × danger-full-access: *** ${verb} File on a 200 MB sparse file`, async () => {
      f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'danger-full-access' });
      const big = join(f.work, 'big');
      writeFileSync(big, '');
      truncateSync(big, 200 * 1024 * 1024);
      const lines = verb === 'Delete' ? ['*** Delete File: big'] : ['*** Update File: big', '@@', '-x', '+y'];
      f.mock.enqueue(
        { kind: 'tool_call', name: 'shell', callId: 'p', arguments: { command: ['apply_patch', ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n')] } },
        { kind: 'text', text: 'done' },
      );
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete', 1, 20_000);
      const last = f.mock.requests[f.mock.requests.length - 1];
      const tool = last.body.messages.find((m: { role: string }) => m.role === 'tool').content as string;
      expect(tool).to.match(/larger than/);
      expect(existsSync(big), 'file kept').to.equal(true);
      // The server still serves.
      const pong = await f.client.request('ping', {});
      expect(pong.error).to.equal(undefined);
    });
  }
});
