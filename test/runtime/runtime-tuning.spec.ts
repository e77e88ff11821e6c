import { expect } from 'chai';
import sinon from 'sinon';
import v8 from 'node:v8';
import { RuntimeTuning, STEADY_STATE_V8_FLAGS } from '../../src/runtime/runtime-tuning';

const twoTurnsOfTheLoop = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('RuntimeTuning', () => {
  let setFlags: sinon.SinonStub;
  beforeEach(() => {
    setFlags = sinon.stub(v8, 'setFlagsFromString');
  });
  afterEach(() => sinon.restore());

  it('sets the steady-state flags once, after the handshake, and nothing at shutdown', async () => {
    const tuning = new RuntimeTuning();
    tuning.afterHandshake();
    tuning.afterHandshake();
    expect(setFlags.called, 'not while the initialize reply is going out').to.equal(false);
    await twoTurnsOfTheLoop();
    expect(setFlags.args).to.deep.equal([[STEADY_STATE_V8_FLAGS]]);
    tuning.beforeShutdown();
    expect(setFlags.args).to.deep.equal([[STEADY_STATE_V8_FLAGS]]);
  });

  it('sets nothing when the client hangs up right after the handshake', async () => {
    const tuning = new RuntimeTuning();
    tuning.afterHandshake();
    tuning.beforeShutdown();
    await twoTurnsOfTheLoop();
    expect(setFlags.called).to.equal(false);
  });
});
