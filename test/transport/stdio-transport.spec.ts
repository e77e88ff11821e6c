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

describe('StdioTransport input', () => {
  it('hands every line of a large chunk to the reader, in order, before the end of input', async () => {
    const input = new PassThrough();
    const transport = new StdioTransport(input, new PassThrough());
    const lines: (string | undefined)[] = [];
    const closed = new Promise<string>((resolve) =>
      transport.start({
        onLine: (line) => lines.push(line),
        onClose: (reason) => resolve(reason),
      }),
    );
    const sent = Array.from({ length: 5000 }, (_, i) => `{"n":${i}}`);
    input.end(sent.join('\n') + '\n');
    expect(await closed).to.equal('stdin ended');
    expect(lines).to.deep.equal(sent);
  });

  it('reads nothing more once closed', async () => {
    const input = new PassThrough();
    const transport = new StdioTransport(input, new PassThrough());
    const lines: (string | undefined)[] = [];
    transport.start({ onLine: (line) => lines.push(line), onClose: () => undefined });
    input.write(Array.from({ length: 5000 }, (_, i) => `{"n":${i}}`).join('\n') + '\n');
    await new Promise((resolve) => setImmediate(resolve));
    transport.close();
    const count = lines.length;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.length).to.equal(count);
    expect(count).to.be.lessThan(5000);
  });
});
