import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineFixture } from '../support/engine-home';

/** Issue 18.5: image paths from the user (localImage) and from the model (view_image) never block the server. */
describe('special files as images (localImage, view_image)', function () {
  let f: EngineFixture;
  afterEach(async () => f?.close());

  function localImage(conversationId: string, path: string) {
    return f.client.request('sendUserMessage', {
      conversationId,
      items: [
        { type: 'text', data: { text: 'look' } },
        { type: 'localImage', data: { path } },
      ],
    });
  }

  function fifo(): string {
    const path = join(f.work, 'pipe.png');
    execFileSync('mkfifo', [path]);
    return path;
  }

  /** Resident memory of the server process, in kB. */
  function serverRssKb(): number {
    const line = readFileSync(`/proc/${f.client.proc.pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1]);
  }

  it('refuses a FIFO as localImage with -32602 at once; ping still answers and stdin EOF ends the server', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    const id = await f.listenedConversation();
    const reply = await localImage(id, fifo());
    expect(reply.error?.code).to.equal(-32602);
    expect(reply.error?.message).to.contain('items.1.data.path').and.to.contain('not a regular file (a FIFO)');
    expect((await f.client.request('ping')).result).to.deep.equal({});
    // Nothing was queued: no turn started for the refused message.
    expect(f.events(id).filter((e) => e.msg.type === 'task_started')).to.deep.equal([]);
    f.client.closeStdin();
    expect((await f.client.exited).code).to.equal(0);
  });

  it('refuses /dev/zero as a character device without reading it', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    const id = await f.listenedConversation();
    const before = serverRssKb();
    const reply = await localImage(id, '/dev/zero');
    expect(reply.error?.code).to.equal(-32602);
    expect(reply.error?.message).to.contain('not a regular file (a character device)');
    expect(serverRssKb() - before).to.be.lessThan(64 * 1024);
    expect((await f.client.request('ping')).result).to.deep.equal({});
  });

  it('refuses images over max_image_bytes from the user and from the model, and reads one within it', async () => {
    // The responses API: with the chat API images do not reach the model (WIRE.md §5).
    f = await EngineFixture.start({ approvalPolicy: 'never', top: 'max_image_bytes = 16', wireApi: 'responses' });
    const big = join(f.work, 'big.png');
    const small = join(f.work, 'small.png');
    writeFileSync(big, Buffer.alloc(17, 1));
    writeFileSync(small, Buffer.from('0123456789abcdef'));
    const id = await f.listenedConversation();
    const refused = await localImage(id, big);
    expect(refused.error?.code).to.equal(-32602);
    expect(refused.error?.message).to.contain('larger than the limit of 16 bytes');

    f.mock.enqueue({ kind: 'tool_call', name: 'view_image', callId: 'v', arguments: { path: 'big.png' } }, { kind: 'text', text: 'saw it' });
    expect((await localImage(id, small)).result).to.deep.equal({});
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('saw it');
    const [first, second] = await f.mock.waitForRequests(2);
    expect(JSON.stringify(first.body)).to.contain(`data:image/png;base64,${Buffer.from('0123456789abcdef').toString('base64')}`);
    expect(JSON.stringify(second.body)).to.contain(`unable to read image at ${big}: file is 17 bytes, larger than the limit of 16 bytes`);
  });

  it('gives the model a tool error for view_image on a FIFO; the turn goes on, interrupt answers, stdin EOF ends the server', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    const path = fifo();
    f.mock.enqueue({ kind: 'tool_call', name: 'view_image', callId: 'v', arguments: { path } }, { kind: 'text', text: 'no image' });
    const id = await f.listenedConversation();
    await f.send(id, 'look at the pipe');
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('no image');
    const [, second] = await f.mock.waitForRequests(2);
    expect(JSON.stringify(second.body)).to.contain(`unable to read image at ${path}: not a regular file (a FIFO)`);
    expect(await f.client.request('interruptConversation', { conversationId: id })).to.have.property('result');
    f.client.closeStdin();
    expect((await f.client.exited).code).to.equal(0);
  });
});
