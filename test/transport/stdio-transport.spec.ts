import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { StdioTransport } from '../../src/transport/stdio-transport';

/** A stdout whose writes complete only when the test says so, as a pipe to a client that reads slowly. */
function slowOutput(): { output: Writable; release: () => void } {
  const pending: Array<() => void> = [];
  const output = new Writable({
    highWaterMark: 1024,
    write(_chunk, _encoding, callback) {
      pending.push(() => callback());
    },
  });
  return { output, release: () => pending.splice(0).forEach((done) => done()) };
}

const settled = (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  return () => done;
};

describe('StdioTransport.whenOutputBelow', () => {
  it('answers undefined while little output waits, and a promise that resolves once the client has read the backlog', async () => {
    const { output, release } = slowOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    expect(transport.whenOutputBelow(1000)).to.equal(undefined);

    transport.send('x'.repeat(5000));
    const room = transport.whenOutputBelow(1000);
    expect(room).to.be.instanceOf(Promise);
    transport.flush();
    const isDone = settled(room!);
    await new Promise((r) => setImmediate(r));
    expect(isDone(), 'still waiting while the write is unread').to.equal(false);

    release();
    await room;
    expect(transport.whenOutputBelow(1000)).to.equal(undefined);
  });

  it('lets every waiter go when it closes', async () => {
    const { output } = slowOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    transport.send('y'.repeat(5000));
    transport.flush();
    const room = transport.whenOutputBelow(10)!;
    transport.close();
    await room;
    expect(transport.whenOutputBelow(10)).to.equal(undefined);
  });
});
