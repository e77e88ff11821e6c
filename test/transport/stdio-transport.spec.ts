import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { StdioTransport } from '../../src/transport/stdio-transport';

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
