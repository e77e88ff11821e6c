import { expect } from 'chai';
import { classify } from '../../src/router/envelope';

describe('classify (WIRE.md §2)', () => {
  const kindOf = (v: unknown) => classify(v).kind;

  it('sorts requests, notifications and responses', () => {
    expect(kindOf({ jsonrpc: '2.0', id: 1, method: 'ping' })).to.equal('request');
    expect(kindOf({ jsonrpc: '2.0', method: 'x' })).to.equal('notification');
    expect(kindOf({ method: 'x' })).to.equal('notification');
    expect(kindOf({ jsonrpc: '2.0', id: 1, result: {} })).to.equal('response');
    expect(kindOf({ id: 'a', error: { code: 1, message: 'm' } })).to.equal('response');
  });

  it('marks a notification with a wrong version so it is dropped', () => {
    expect(classify({ jsonrpc: '1.0', method: 'x' })).to.deep.include({ kind: 'notification', validVersion: false });
  });

  const invalid: Array<[string, unknown, string | number | null]> = [
    ['an empty object', {}, null],
    ['a batch', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], null],
    ['an empty batch', [], null],
    ['a null id', { jsonrpc: '2.0', id: null, method: 'ping' }, null],
    ['a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, null],
    ['an object id', { jsonrpc: '2.0', id: {}, method: 'ping' }, null],
    ['a boolean id', { jsonrpc: '2.0', id: true, method: 'ping' }, null],
    ['a numeric method', { jsonrpc: '2.0', id: 1, method: 5 }, 1],
    ['a missing jsonrpc member', { id: 2, method: 'ping' }, 2],
    ['jsonrpc 1.0', { jsonrpc: '1.0', id: 'x', method: 'ping' }, 'x'],
    ['scalar params', { jsonrpc: '2.0', id: 3, method: 'ping', params: 4 }, 3],
    ['a request with a result', { jsonrpc: '2.0', id: 4, method: 'ping', result: 1 }, 4],
    ['a number', 5, null],
    ['null', null, null],
  ];
  for (const [name, value, id] of invalid) {
    it(`calls ${name} invalid, with id ${JSON.stringify(id)}`, () => {
      expect(classify(value)).to.deep.include({ kind: 'invalid', id });
    });
  }
});
