import { expect } from 'chai';
import { buildChatBody } from '../../src/model/chat-request';
import { JSON_PIECE_CHARS, jsonPieces } from '../../src/model/json-pieces';
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

describe('jsonPieces', () => {
  it('joins to exactly JSON.stringify of a chat and a responses body, long or short', () => {
    for (const turns of [0, 1, 500]) {
      const req = simpleRequest({ input: longHistory(turns), tools: [SHELL_TOOL] });
      for (const body of [buildChatBody(req), buildResponsesBody(req)]) {
        expect(jsonPieces(body).join('')).to.equal(JSON.stringify(body));
      }
    }
  });

  it('keeps every piece small when the body is long, so none is a large heap object', () => {
    const pieces = jsonPieces(buildChatBody(simpleRequest({ input: longHistory(500) })));
    expect(pieces.length).to.be.greaterThan(1);
    for (const piece of pieces) expect(piece.length).to.be.at.most(JSON_PIECE_CHARS);
  });

  it('leaves out members without a JSON form and writes such array elements as null, like JSON.stringify', () => {
    const body = { a: undefined, b: [1, undefined, () => 0], c: () => 0, d: 'x', e: { f: undefined } };
    expect(jsonPieces(body).join('')).to.equal(JSON.stringify(body));
    expect(jsonPieces({}).join('')).to.equal('{}');
  });

  it('makes an element longer than a piece a piece of its own', () => {
    const big = 'y'.repeat(JSON_PIECE_CHARS * 2);
    const body = { model: 'm', input: ['a', big, 'b'] };
    const pieces = jsonPieces(body);
    expect(pieces.join('')).to.equal(JSON.stringify(body));
    expect(pieces.some((p) => p.includes(big))).to.equal(true);
  });
});
