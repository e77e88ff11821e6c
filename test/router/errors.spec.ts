import { expect } from 'chai';
import { InternalError, InvalidParamsError, InvalidRequestError, LocalError, toWireError } from '../../src/router/errors';

describe('toWireError', () => {
  it('keeps the code, message and data of agentwire errors', () => {
    expect(toWireError(new InvalidRequestError('conversation not found: x'))).to.deep.equal({ code: -32600, message: 'conversation not found: x' });
    expect(toWireError(new InvalidParamsError('bad', ['a: must be a string']))).to.deep.equal({
      code: -32602,
      message: 'bad',
      data: { errors: ['a: must be a string'] },
    });
    expect(toWireError(new InternalError('logout failed: EACCES'))).to.deep.equal({ code: -32603, message: 'logout failed: EACCES' });
  });

  it('recognises an error made by another copy of agentwire by its brand', () => {
    const foreign = Object.assign(new Error('from a plugin copy'), { code: -32602, [Symbol.for('agentwire:wire-error')]: true });
    expect(toWireError(foreign)).to.deep.equal({ code: -32602, message: 'from a plugin copy' });
  });

  it('hides everything else behind -32603 Internal error', () => {
    for (const err of [new Error('secret sk-123'), new LocalError('timeout'), 'a string', { code: 5, message: 'x' }, undefined]) {
      expect(toWireError(err)).to.deep.equal({ code: -32603, message: 'Internal error' });
    }
  });
});
