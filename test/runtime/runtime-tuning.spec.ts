import { expect } from 'chai';
import sinon from 'sinon';
import v8 from 'node:v8';
import { RuntimeTuning, STEADY_STATE_V8_FLAGS } from '../../src/runtime/runtime-tuning';

describe('RuntimeTuning', () => {
  let setFlags: sinon.SinonStub;
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    setFlags = sinon.stub(v8, 'setFlagsFromString');
    // However many turns of the loop the flags wait for, runAll() runs them all.
    clock = sinon.useFakeTimers({ toFake: ['setImmediate'] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
  });

  it('sets the steady-state flags once, after the handshake, and nothing at shutdown', () => {
    const tuning = new RuntimeTuning();
    tuning.afterHandshake();
    tuning.afterHandshake();
    expect(setFlags.called, 'not while the initialize reply is going out').to.equal(false);
    clock.runAll();
    expect(setFlags.args).to.deep.equal([[STEADY_STATE_V8_FLAGS]]);
    tuning.beforeShutdown();
    clock.runAll();
    expect(setFlags.args).to.deep.equal([[STEADY_STATE_V8_FLAGS]]);
  });

  it('sets nothing when the client hangs up right after the handshake', () => {
    const tuning = new RuntimeTuning();
    tuning.afterHandshake();
    tuning.beforeShutdown();
    clock.runAll();
    expect(setFlags.called).to.equal(false);
  });
});
