import { expect } from 'chai';
import { AttemptControllers } from '../../src/model/model-client';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AttemptControllers (controllers of completed model requests, kept for the next ones)', () => {
  it('gives a controller back for reuse once nothing listens to its signal', async () => {
    const pool = new AttemptControllers();
    const first = pool.take();
    const onAbort = () => undefined;
    first.signal.addEventListener('abort', onAbort);
    first.signal.removeEventListener('abort', onAbort);
    pool.give(first);
    await nextTurn();
    expect(pool.take()).to.equal(first);
    expect(pool.take()).to.not.equal(first);
  });

  it('never reuses an aborted controller, nor one whose signal someone still listens to', async () => {
    const pool = new AttemptControllers();
    const aborted = pool.take();
    aborted.abort();
    const listened = pool.take();
    let heard = false;
    listened.signal.addEventListener('abort', () => (heard = true));
    pool.give(aborted);
    pool.give(listened);
    await nextTurn();
    for (let i = 0; i < 3; i++) {
      const next = pool.take();
      expect(next).to.not.equal(aborted);
      expect(next).to.not.equal(listened);
      expect(next.signal.aborted).to.equal(false);
    }
    expect(heard).to.equal(false);
  });
});
