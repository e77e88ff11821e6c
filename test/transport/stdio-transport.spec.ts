import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { FLUSH_CHUNK_CHARS, OUTPUT_HIGH_WATER_BYTES, StdioTransport } from '../../src/transport/stdio-transport';
import { FIRST_SLICE } from '../../src/transport/input-pump';

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

  it('a wait whose signal aborts rejects with its reason and is forgotten at once, not at the next drain', async () => {
    const { output, release } = slowOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    transport.send('z'.repeat(5000));
    transport.flush();
    const waiters = () => (transport as unknown as { outputWaiters: unknown[] }).outputWaiters.length;
    const abort = new AbortController();
    const reason = new Error('cancelled by the client');
    const rooms = Array.from({ length: 10 }, () => transport.whenOutputBelow(10, abort.signal)!);
    const kept = transport.whenOutputBelow(10)!;
    expect(waiters()).to.equal(11);
    abort.abort(reason);
    const outcomes = await Promise.all(
      rooms.map((room) =>
        room.then(
          () => 'resolved',
          (err: unknown) => err,
        ),
      ),
    );
    expect(outcomes.every((o) => o === reason)).to.equal(true);
    expect(waiters(), 'only the wait without a signal is left').to.equal(1);
    // An already aborted signal is refused at once.
    const late = transport.whenOutputBelow(10, abort.signal);
    expect(
      await late!.then(
        () => 'resolved',
        (err: unknown) => err,
      ),
    ).to.equal(reason);
    release();
    await kept;
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

/** A stdout that records each write and takes it at once, as a pipe to a client that keeps up. */
function recordingOutput(): { output: Writable; writes: string[] } {
  const writes: string[] = [];
  const output = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      writes.push(chunk);
      callback();
    },
  });
  return { output, writes };
}

describe('StdioTransport output', () => {
  it('writes the messages of one turn of the event loop in one write while they are few', async () => {
    const { output, writes } = recordingOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    transport.send('{"a":1}');
    transport.send('{"b":2}');
    await Promise.resolve();
    transport.send('{"c":3}');
    expect(writes).to.deep.equal([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).to.deep.equal(['{"a":1}\n{"b":2}\n{"c":3}\n']);
  });

  it('writes after the ticks this turn of the loop schedules (so a model request a handler starts goes out first)', async () => {
    const { output, writes } = recordingOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    // A handler's reply is queued; then the turn it started makes an HTTP request, which Node's
    // client writes to a kept-alive socket a tick later, from promise jobs and ticks of its own.
    transport.send('{"id":1,"result":{}}');
    const seen: number[] = [];
    void Promise.resolve().then(() => process.nextTick(() => process.nextTick(() => seen.push(writes.length))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen, 'writes made when the later tick ran').to.deep.equal([0]);
    expect(writes).to.deep.equal(['{"id":1,"result":{}}\n']);
  });

  it("writes what a slice of a chunk's requests queued before the next slice is handled", async () => {
    const { output, writes } = recordingOutput();
    const input = new PassThrough();
    const transport = new StdioTransport(input, output);
    /** For each line, the writes made before it was handled. */
    const writesBefore: number[] = [];
    const ended = new Promise<void>((resolve) =>
      transport.start({
        // As the router: a line's reply is queued from a promise job.
        onLine: (line) => {
          writesBefore.push(writes.length);
          void Promise.resolve().then(() => transport.send(`{"echo":${line}}`));
        },
        onClose: () => resolve(),
      }),
    );
    input.end(Array.from({ length: 40 }, (_, i) => String(i)).join('\n') + '\n');
    await ended;
    await new Promise((resolve) => setImmediate(resolve));
    expect(writesBefore.slice(0, FIRST_SLICE + 1)).to.deep.equal([...Array<number>(FIRST_SLICE).fill(0), 1]);
    expect(writes[0].split('\n').filter(Boolean)).to.have.length(FIRST_SLICE);
    expect(writes.join('')).to.equal(Array.from({ length: 40 }, (_, i) => `{"echo":${i}}\n`).join(''));
  });

  it('writes many messages queued at once in slices as it goes (each line dies young), in order and whole', async () => {
    const { output, writes } = recordingOutput();
    const transport = new StdioTransport(new PassThrough(), output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    const lines = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ n: i, pad: 'p'.repeat(100) }));
    for (const line of lines) transport.send(line);
    const writtenWhileSending = writes.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(writtenWhileSending, 'slices written while the messages are still being sent').to.be.greaterThan(10);
    const longest = Math.max(...lines.map((l) => l.length + 1));
    for (const w of writes) {
      expect(w.endsWith('\n'), 'a slice ends at a line end').to.equal(true);
      expect(w.length).to.be.at.most(FLUSH_CHUNK_CHARS + longest);
    }
    expect(writes.join('')).to.equal(lines.join('\n') + '\n');
  });

  it('still stops reading input while a client that reads slowly leaves too much output waiting', () => {
    const { output, release } = slowOutput();
    const input = new PassThrough();
    const transport = new StdioTransport(input, output);
    transport.start({ onLine: () => undefined, onClose: () => undefined });
    input.resume();
    const line = 'z'.repeat(1000);
    for (let i = 0; i < (OUTPUT_HIGH_WATER_BYTES / 1000) * 1.5; i++) transport.send(line);
    expect(input.isPaused(), 'input held').to.equal(true);
    release();
  });
});
