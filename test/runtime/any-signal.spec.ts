import { expect } from 'chai';
import { anySignal } from '../../src/runtime/any-signal';

describe('runtime: anySignal', () => {
  it('aborts with the reason of the first source that aborts, and leaves no listener on the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const listening = (s: AbortSignal) => {
      let n = 0;
      const add = s.addEventListener.bind(s);
      const remove = s.removeEventListener.bind(s);
      s.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>) => (n++, add(...args));
      s.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => (n--, remove(...args));
      return () => n;
    };
    const onB = listening(b.signal);
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
