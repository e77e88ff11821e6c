import { expect } from 'chai';
import { buildChatBody } from '../../src/model/chat-request';
import { JsonSplice, JsonText, jsonBody } from '../../src/model/json-body';
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

describe('jsonBody', () => {
  it('is exactly the UTF-8 of JSON.stringify of a chat and a responses body, long or short', () => {
    for (const turns of [0, 1, 500]) {
      const req = simpleRequest({ input: longHistory(turns), tools: [SHELL_TOOL] });
      for (const body of [buildChatBody(req), buildResponsesBody(req)]) {
        expect(jsonBody(body).equals(Buffer.from(JSON.stringify(body)))).to.equal(true);
      }
    }
  });

  it('leaves out members without a JSON form and writes such array elements as null, like JSON.stringify', () => {
    const body = { a: undefined, b: [1, undefined, () => 0], c: () => 0, d: 'x', e: { f: undefined } };
    expect(jsonBody(body).toString()).to.equal(JSON.stringify(body));
    expect(jsonBody({}).toString()).to.equal('{}');
  });

  it('copies kept JSON texts as they are, multi-byte characters included', () => {
    const body = { model: 'm', input: [new JsonText('{"a":"é ✓ 😀"}'), { b: 'ü' }, new JsonText('[]')], n: 1 };
    expect(jsonBody(body).toString()).to.equal('{"model":"m","input":[{"a":"é ✓ 😀"},{"b":"ü"},[]],"n":1}');
  });

  it('writes the first count elements of a splice in its place, an empty splice as nothing', () => {
    const kept = [new JsonText('{"a":"é"}'), { b: 1 }, new JsonText('2'), new JsonText('"not yet"')];
    const body = { m: [new JsonSplice([], 0), { s: 'x' }, new JsonSplice(kept, 3), new JsonSplice(kept, 0), 4], e: [new JsonSplice(kept, 0)] };
    expect(jsonBody(body).toString()).to.equal('{"m":[{"s":"x"},{"a":"é"},{"b":1},2,4],"e":[]}');
    expect(jsonBody({ m: [new JsonSplice(kept, 2)] }).toString()).to.equal('{"m":[{"a":"é"},{"b":1}]}');
  });
});
