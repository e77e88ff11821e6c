import { expect } from 'chai';
import { LineSplitter, type LineEvent } from '../../src/transport/line-splitter';

const text = (events: LineEvent[]) => events.map((e) => (e.kind === 'line' ? e.bytes.toString('utf8') : `<oversize ${e.bytes}>`));

describe('LineSplitter', () => {
  it('joins a line split across chunks', () => {
    const s = new LineSplitter(1024);
    expect(s.push(Buffer.from('{"a"'))).to.deep.equal([]);
    expect(text(s.push(Buffer.from(':1}\n{"b"')))).to.deep.equal(['{"a":1}']);
    expect(text(s.push(Buffer.from(':2}\n')))).to.deep.equal(['{"b":2}']);
  });

  it('splits many lines in one chunk and strips a trailing CR', () => {
    const s = new LineSplitter(1024);
    expect(text(s.push(Buffer.from('a\r\nb\n\nc\n')))).to.deep.equal(['a', 'b', '', 'c']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const s = new LineSplitter(1024);
    const bytes = Buffer.from('é€\n');
    s.push(bytes.subarray(0, 1));
    expect(text(s.push(bytes.subarray(1)))).to.deep.equal(['é€']);
  });

  it('does not keep references to chunks the stream may reuse', () => {
    const s = new LineSplitter(1024);
    const chunk = Buffer.from('abc');
    s.push(chunk);
    chunk.fill(0x78);
    expect(text(s.push(Buffer.from('\n')))).to.deep.equal(['abc']);
  });

  it('reports a line over the cap once and recovers', () => {
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('0123456789'))).to.deep.equal([]);
    expect(text(s.push(Buffer.from('abc\nok\n')))).to.deep.equal(['<oversize 13>', 'ok']);
  });

  it('gives the last line without a newline at the end of the stream', () => {
    const s = new LineSplitter(1024);
    s.push(Buffer.from('tail'));
    expect(text(s.end())).to.deep.equal(['tail']);
    expect(s.end()).to.deep.equal([]);
  });
});
