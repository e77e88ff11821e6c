import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import { anySignal } from '../../src/runtime/any-signal';

describe('runtime: anySignal', () => {
  it('aborts with the reason of the first source that aborts, and leaves no listener on the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const onB = () => getEventListeners(b.signal, 'abort').length;
    const both = anySignal([a.signal, b.signal]);
    expect(both.signal.aborted).to.equal(false);
    expect(onB()).to.equal(1);
    const reason = new Error('a went');
    a.abort(reason);
    expect(both.signal.aborted).to.equal(true);
    expect(both.signal.reason).to.equal(reason);
    expect(onB(), 'detached from the source that did not abort').to.equal(0);
  });

  it('is aborted at once by a source that already is, and dispose detaches a signal that never aborted', () => {
    const done = new AbortController();
    done.abort(new Error('before'));
    expect(anySignal([new AbortController().signal, done.signal]).signal.reason).to.have.property('message', 'before');
    const source = new AbortController();
    const combined = anySignal([source.signal]);
    combined.dispose();
    source.abort(new Error('after dispose'));
    expect(combined.signal.aborted).to.equal(false);
  });
});
