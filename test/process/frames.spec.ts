import { expect } from 'chai';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from '../../src/process/frames';

describe('process: frames between the server and the command host', () => {
  const frames = [
    encodeFrame({ type: 'spawned', id: 1, pid: 7 }),
    encodeFrame({ type: 'data', id: 1, stream: 'stdout' }, Buffer.from([0, 255, 10, 13, 0xe2, 0x82])),
    encodeFrame({ type: 'exit', id: 1, code: 0, signal: null }),
    encodeFrame({ type: 'data', id: 2, stream: 'stderr' }, Buffer.alloc(0)),
  ];
  const stream = Buffer.concat(frames);
  const expected = [
    { header: { type: 'spawned', id: 1, pid: 7 }, payload: [] },
    { header: { type: 'data', id: 1, stream: 'stdout' }, payload: [0, 255, 10, 13, 0xe2, 0x82] },
    { header: { type: 'exit', id: 1, code: 0, signal: null }, payload: [] },
    { header: { type: 'data', id: 2, stream: 'stderr' }, payload: [] },
  ];
  const plain = (list: { header: Record<string, unknown>; payload: Buffer }[]) => list.map((f) => ({ header: f.header, payload: [...f.payload] }));

  it('decodes several frames merged into one chunk, payload bytes as they were', () => {
    expect(plain(new FrameDecoder().push(stream))).to.deep.equal(expected);
  });

  it('decodes frames split at every byte', () => {
    const decoder = new FrameDecoder();
    const out = [];
    for (let i = 0; i < stream.length; i++) out.push(...decoder.push(stream.subarray(i, i + 1)));
    expect(plain(out)).to.deep.equal(expected);
  });

  it('decodes frames split anywhere, a chunk ending inside one frame and starting the next', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(plain(out), `cut at ${cut}`).to.deep.equal(expected);
    }
  });

  it('keeps a large payload intact across many chunks', () => {
    const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 256));
    const frame = encodeFrame({ type: 'data', id: 9, stream: 'stdout' }, payload);
    const decoder = new FrameDecoder();
    const out = [];
    for (let i = 0; i < frame.length; i += 65_536) out.push(...decoder.push(frame.subarray(i, i + 65_536)));
    expect(out).to.have.length(1);
    expect(out[0].payload.equals(payload)).to.equal(true);
  });

  it('refuses a corrupt stream: an impossible length, a header that is not a JSON object', () => {
    const tooLong = Buffer.alloc(8);
    tooLong.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    expect(() => new FrameDecoder().push(tooLong)).to.throw(/corrupt frame: length/);
    const badHeaderLength = Buffer.alloc(12);
    badHeaderLength.writeUInt32BE(8, 0);
    badHeaderLength.writeUInt32BE(100, 4);
    expect(() => new FrameDecoder().push(badHeaderLength)).to.throw(/corrupt frame: header length/);
    const array = Buffer.from('[1]');
    const arrayFrame = Buffer.concat([Buffer.from([0, 0, 0, 4 + array.length, 0, 0, 0, array.length]), array]);
    expect(() => new FrameDecoder().push(arrayFrame)).to.throw(/not an object/);
  });
});
