import { expect } from 'chai';
import sinon from 'sinon';
import { buildChatBody, buildChatWireBody, chatHistoryMessages } from '../../src/model/chat-request';
import { jsonBody } from '../../src/model/json-body';
import type { ModelRequest } from '../../src/model/model-events';
import { buildResponsesBody, buildResponsesWireBody, responsesHistoryItems } from '../../src/model/responses-request';
import type { FunctionCallItem, ResponseItem } from '../../src/protocol/items';
import { hasImage, HistoryElements } from '../../src/model/wire-json';
import { assistantText, userText } from '../../src/protocol/items';
import { SHELL_TOOL, simpleRequest } from './helpers';

const call = (id: string): FunctionCallItem => ({ type: 'function_call', id: null, name: 'shell', arguments: `{"command":["echo","${id}"]}`, call_id: id });
const output = (id: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output: `out "${id}" ✓` });

/** A history with every item kind: single and parallel calls, reasoning, an image. */
function mixedHistory(turns: number): ResponseItem[] {
  const items: ResponseItem[] = [];
  for (let i = 0; i < turns; i++) {
    items.push(userText(`turn ${i}: run "true" ✓`));
    items.push({
      type: 'reasoning',
      id: null,
      summary: [{ type: 'summary_text', text: `think ${i}` }],
      content: [{ type: 'reasoning_text', text: 'raw' }],
      encrypted_content: null,
    });
    if (i % 3 === 0) items.push(call(`a${i}`), call(`b${i}`), output(`a${i}`), output(`b${i}`));
    else items.push(call(`c${i}`), output(`c${i}`));
    if (i % 5 === 0)
      items.push({
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'see' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
        ],
      });
    items.push(assistantText('done'));
  }
  return items;
}

/** The kept JSON of one client (a ModelClient holds one of each). */
let chatJson: HistoryElements;
let responsesJson: HistoryElements;

/** Both wire APIs: the kept-JSON body's text against JSON.stringify of the plain body. */
function expectSameText(req: ModelRequest): void {
  expect(jsonBody(buildChatWireBody(req, chatJson)).toString()).to.equal(JSON.stringify(buildChatBody(req)));
  expect(jsonBody(buildResponsesWireBody(req, responsesJson)).toString()).to.equal(JSON.stringify(buildResponsesBody(req)));
}

describe('wire bodies with the elements of each history kept', () => {
  beforeEach(() => {
    chatJson = chatHistoryMessages();
    responsesJson = responsesHistoryItems();
  });
  afterEach(() => sinon.restore());

  it('write exactly the text of the plain bodies, empty, short or long', () => {
    for (const turns of [0, 1, 7, 300]) expectSameText(simpleRequest({ input: mixedHistory(turns), tools: [SHELL_TOOL] }));
  });

  it('stay exact as the history grows between requests, a run of calls growing under the same first call included', () => {
    const history = mixedHistory(4);
    const req = simpleRequest({ input: history, tools: [SHELL_TOOL] });
    expectSameText(req);
    const first = call('x1');
    history.push(userText('more'), first);
    expectSameText(req);
    history.push(call('x2'), call('x3'));
    expectSameText(req);
    history.push(output('x1'), output('x2'), output('x3'), assistantText('ok'));
    expectSameText(req);
  });

  it('serialize only the items added since the last request', () => {
    const history = mixedHistory(200);
    const req = simpleRequest({ input: history, tools: [SHELL_TOOL] });
    const stringify = sinon.spy(JSON, 'stringify');
    jsonBody(buildChatWireBody(req, chatJson));
    jsonBody(buildResponsesWireBody(req, responsesJson));
    // The first request serializes every history item (the spy counts).
    expect(stringify.callCount, 'first requests').to.be.greaterThan(history.length);
    history.push(userText('one more'), call('n1'), output('n1'), assistantText('fine'));
    stringify.resetHistory();
    jsonBody(buildChatWireBody(req, chatJson));
    const chatCalls = stringify.callCount;
    stringify.resetHistory();
    jsonBody(buildResponsesWireBody(req, responsesJson));
    const responsesCalls = stringify.callCount;
    // The new items, the body's other members and the tools (12 for chat), and for responses the
    // image messages (serialized each time, not kept): not the ~1,500 history items again.
    const images = history.filter(hasImage).length;
    expect(images).to.be.greaterThan(0);
    expect(chatCalls, 'chat').to.be.at.most(15);
    expect(responsesCalls - images, 'responses, past the image messages').to.be.at.most(25);
  });

  it('stay exact for several histories on one client, requests interleaved', () => {
    const a = mixedHistory(3);
    const b = mixedHistory(5);
    const reqA = simpleRequest({ input: a, tools: [SHELL_TOOL] });
    const reqB = simpleRequest({ input: b, tools: [SHELL_TOOL] });
    for (let i = 0; i < 3; i++) {
      expectSameText(reqA);
      expectSameText(reqB);
      a.push(userText(`a${i}`), call(`ca${i}`), output(`ca${i}`));
      b.push(assistantText(`b${i}`));
    }
  });

  it('are made again when the history changed other than by growing (an item replaced, items removed)', () => {
    const history = mixedHistory(6);
    const req = simpleRequest({ input: history, tools: [SHELL_TOOL] });
    expectSameText(req);
    history[3] = userText('replaced');
    expectSameText(req);
    history.splice(10);
    expectSameText(req);
    history.push(assistantText('after the cut'));
    expectSameText(req);
    history.length = 0;
    expectSameText(req);
  });

  it('allocate no array of every history element per request', () => {
    const history = mixedHistory(300);
    const req = simpleRequest({ input: history, tools: [SHELL_TOOL] });
    const first = buildChatWireBody(req, chatJson);
    history.push(userText('one more'), assistantText('fine'));
    const second = buildChatWireBody(req, chatJson);
    // The history goes as one splice of the kept messages (after the system message).
    expect(first.messages).to.have.length(2);
    expect(second.messages).to.have.length(2);
    expect(buildResponsesWireBody(req, responsesJson).input).to.have.length(1);
  });

  it('start again when making the elements failed partway, so that none is kept twice', () => {
    let fail = true;
    const kept = new HistoryElements((items, from, store) => {
      for (let i = from; i < items.length; i++) {
        if (fail && i === 2) throw new Error('cannot');
        store.text(JSON.stringify(items[i]));
      }
      return items.length;
    });
    const history = [userText('a'), userText('b'), userText('c')];
    expect(() => kept.of(history)).to.throw('cannot');
    fail = false;
    expect(jsonBody({ input: [kept.of(history).splice] }).toString()).to.equal(JSON.stringify({ input: history }));
  });
});
