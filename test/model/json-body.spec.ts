import { expect } from 'chai';
import { buildChatBody } from '../../src/model/chat-request';
import { jsonBody } from '../../src/model/json-body';
import { JsonSplice, KeptJson } from '../../src/model/kept-json';
import { buildResponsesBody } from '../../src/model/responses-request';
import type { ResponseItem } from '../../src/protocol/items';
import { assistantText, userText } from '../../src/protocol/items';
import { SHELL_TOOL, simpleRequest } from './helpers';

/** A conversation of `turns` shell turns, as a long soak leaves it. */
function longHistory(turns: number): ResponseItem[] {
  const items: ResponseItem[] = [];
  for (let i = 0; i < turns; i++) {
    items.push(userText(`turn ${i}: run "true" ✓`));
    items.push({ type: 'function_call', id: null, name: 'shell', arguments: '{"command":["true"]}', call_id: `call${i}` });
    items.push({ type: 'function_call_output', call_id: `call${i}`, output: '{"output":"","metadata":{"exit_code":0,"duration_seconds":0.0}}' });
    items.push(assistantText('done'));
  }
  return items;
}

/** A store keeping `elements`: strings as JSON texts, anything else as objects. */
function keep(elements: unknown[]): KeptJson {
  const kept = new KeptJson();
  for (const element of elements) {
    if (typeof element === 'string') kept.text(element);
    else kept.object(element as object);
  }
  return kept;
}

describe('jsonBody', () => {
  it('is exactly the UTF-8 of JSON.stringify of a chat and a responses body, long or short', () => {
    for (const turns of [0, 1, 500]) {
      const req = simpleRequest({ input: longHistory(turns), tools: [SHELL_TOOL] });
      for (const body of [buildChatBody(req), buildResponsesBody(req)]) {
        const json = jsonBody(body);
        expect(json.toBuffer().equals(Buffer.from(JSON.stringify(body)))).to.equal(true);
        expect(json.byteLength).to.equal(Buffer.byteLength(JSON.stringify(body)));
      }
    }
  });

  it('leaves out members without a JSON form and writes such array elements as null, like JSON.stringify', () => {
    const body = { a: undefined, b: [1, undefined, () => 0], c: () => 0, d: 'x', e: { f: undefined } };
    expect(jsonBody(body).toString()).to.equal(JSON.stringify(body));
    expect(jsonBody({}).toString()).to.equal('{}');
  });

  it('writes the first count elements of a splice in its place, kept texts as they are, an empty splice as nothing', () => {
    const kept = keep(['{"a":"é ✓ 😀"}', { b: 1 }, '2', '"not yet"']);
    const body = { m: [new JsonSplice(new KeptJson(), 0), { s: 'x' }, new JsonSplice(kept, 3), new JsonSplice(kept, 0), 4], e: [new JsonSplice(kept, 0)] };
    expect(jsonBody(body).toString()).to.equal('{"m":[{"s":"x"},{"a":"é ✓ 😀"},{"b":1},2,4],"e":[]}');
    expect(jsonBody({ m: [new JsonSplice(kept, 2)] }).toString()).to.equal('{"m":[{"a":"é ✓ 😀"},{"b":1}]}');
    expect(jsonBody({ m: [new JsonSplice(kept, 1)] }).toString()).to.equal('{"m":[{"a":"é ✓ 😀"}]}');
    expect(jsonBody({ m: [new JsonSplice(kept, 4)], n: 1 }).toString()).to.equal('{"m":[{"a":"é ✓ 😀"},{"b":1},2,"not yet"],"n":1}');
  });

  it('sends the kept texts from their store, not copied, and a splice of objects only as fresh JSON', () => {
    const kept = keep(['1', '2', { three: 3 }, { four: 4 }, '5']);
    const body = jsonBody({ model: 'm', input: [new JsonSplice(kept, 5), 6] });
    expect(body.toString()).to.equal('{"model":"m","input":[1,2,{"three":3},{"four":4},5,6]}');
    // The runs "1,2" and "5" are slices of one store: they share its memory.
    const runs = body.chunks.filter((chunk) => chunk.toString() === '1,2' || chunk.toString() === '5');
    expect(runs).to.have.length(2);
    expect(runs[0].buffer).to.equal(runs[1].buffer);
    expect(jsonBody({ input: [new JsonSplice(keep([{ a: 1 }, { b: 2 }]), 2)] }).toString()).to.equal('{"input":[{"a":1},{"b":2}]}');
  });

  it('leaves the bytes of a body made earlier as they were while its store grows and moves', () => {
    const kept = keep(['"first"']);
    const early = jsonBody({ input: [new JsonSplice(kept, 1)] });
    const before = Buffer.concat(early.chunks).toString();
    for (let i = 0; i < 2000; i++) kept.text(JSON.stringify(`element ${i} ✓`));
    expect(Buffer.concat(early.chunks).toString()).to.equal(before);
    const late = jsonBody({ input: [new JsonSplice(kept, kept.count)] });
    expect(JSON.parse(late.toString()).input).to.have.length(2001);
  });

  it('keeps a long history in segments of at most 64 KiB, a text longer than that in one of its own, runs crossing them exact', () => {
    const kept = new KeptJson();
    const texts: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const text = JSON.stringify({ n: i, s: `élément ${i} ✓ 😀` });
      texts.push(text);
      kept.text(text);
      if (i === 5000) {
        const big = JSON.stringify('x'.repeat(200_000));
        texts.push(big);
        kept.text(big);
        kept.object({ image: true });
        texts.push('{"image":true}');
      }
    }
    for (const count of [1, 3000, 5001, 5002, 5003, kept.count]) {
      const body = jsonBody({ input: [new JsonSplice(kept, count), 'tail'] });
      expect(body.toString()).to.equal(`{"input":[${texts.slice(0, count).join(',')},"tail"]}`);
      expect(body.byteLength).to.equal(Buffer.byteLength(body.toString()));
    }
    const chunks = jsonBody({ input: [new JsonSplice(kept, kept.count)] }).chunks;
    expect(chunks.length).to.be.greaterThan(10);
    expect(chunks.filter((chunk) => chunk.length > 64 * 1024)).to.have.length(1);
  });

  it('fills its segments: what it allocates stays close to what it keeps, texts near 64 KiB, a long text first, an object first', () => {
    const allocated = (kept: KeptJson) => (kept as unknown as { segments: Array<{ bytes: Buffer }> }).segments.reduce((sum, s) => sum + s.bytes.length, 0);
    for (const length of [15_000, 21_000, 11_000]) {
      const kept = new KeptJson();
      const texts: string[] = [];
      for (let i = 0; i < 40; i++) {
        const text = JSON.stringify(`${i}`.padEnd(length, 'x'));
        texts.push(text);
        kept.text(text);
      }
      expect(allocated(kept), `texts of ${length}`).to.be.at.most(1.25 * Buffer.byteLength(texts.join(',') + ','));
      expect(jsonBody({ input: [new JsonSplice(kept, kept.count)] }).toString()).to.equal(`{"input":[${texts.join(',')}]}`);
    }
    const kept = new KeptJson();
    kept.object({ first: true });
    const long = JSON.stringify('y'.repeat(100_000));
    kept.text(long);
    kept.text('2');
    expect(jsonBody({ input: [new JsonSplice(kept, 0)] }).toString()).to.equal('{"input":[]}');
    expect(jsonBody({ input: [new JsonSplice(kept, 3)] }).toString()).to.equal(`{"input":[{"first":true},${long},2]}`);
  });
});
