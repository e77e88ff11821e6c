import { expect } from 'chai';
import { InputPump, PUMP_HOLD_BYTES, PUMP_HOLD_ITEMS } from '../../src/transport/input-pump';

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const turnOfLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InputPump', () => {
  it('handles a few items at once, in order, and is idle after', () => {
    const seen: number[] = [];
    const pump = new InputPump<number>((n) => seen.push(n));
    pump.push([1, 2, 3]);
    expect(seen).to.deep.equal([1, 2, 3]);
    let idle = false;
    pump.whenIdle(() => (idle = true));
    expect(idle).to.equal(true);
  });

  it('lets the event loop run between slices of a large push, keeping the order across later pushes', async () => {
    const seen: number[] = [];
    const pump = new InputPump<number>((n) => seen.push(n));
    pump.push(range(0, 1000));
    const handledAtFirstTurn = seen.length;
    expect(handledAtFirstTurn).to.be.greaterThan(0).and.lessThan(1000);
    pump.push(range(1000, 10));
    let idle = false;
    pump.whenIdle(() => (idle = true));
    expect(idle).to.equal(false);
    await turnOfLoop();
    expect(seen.length).to.be.greaterThan(handledAtFirstTurn);
    while (!idle) await turnOfLoop();
    expect(seen).to.deep.equal(range(0, 1010));
  });

  it('starts a push that comes after a pause with a small slice again, whatever the last burst grew it to', async () => {
    const seen: number[] = [];
    const pump = new InputPump<number>((n) => seen.push(n));
    pump.push(range(0, 20_000));
    while (pump.waiting > 0) await turnOfLoop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    pump.push(range(20_000, 1000));
    // The first slice of the new burst is small: its first items' work reaches the loop soon.
    expect(seen.length - 20_000)
      .to.be.greaterThan(0)
      .and.lessThan(100);
    while (pump.waiting > 0) await turnOfLoop();
    expect(seen).to.deep.equal(range(0, 21_000));
  });

  it('asks the reader to hold its input while too many items wait, and to go on once they are handled', async () => {
    const holds: boolean[] = [];
    const pump = new InputPump<number>(
      () => undefined,
      (held) => holds.push(held),
    );
    pump.push(range(0, 100));
    pump.push(range(100, PUMP_HOLD_ITEMS));
    expect(holds).to.deep.equal([true]);
    while (pump.waiting > 0) await turnOfLoop();
    expect(holds).to.deep.equal([true, false]);
  });

  it('drops what waits once stopped, and calls idle waiters no more', async () => {
    const seen: number[] = [];
    const pump = new InputPump<number>((n) => seen.push(n));
    pump.push(range(0, 1000));
    let idle = false;
    pump.whenIdle(() => (idle = true));
    pump.stop();
    const count = seen.length;
    await turnOfLoop();
    await turnOfLoop();
    expect(seen.length).to.equal(count);
    expect(idle).to.equal(false);
    pump.push([1]);
    expect(seen.length).to.equal(count);
  });

  it('holds the reader for a few very large items too, and lets go once they are handled in one slice', async () => {
    const holds: boolean[] = [];
    const pump = new InputPump<number>(
      () => undefined,
      (held) => holds.push(held),
      (n) => n,
    );
    pump.push([PUMP_HOLD_BYTES, PUMP_HOLD_BYTES]);
    while (pump.waiting > 0) await turnOfLoop();
    // Held while they waited, and let go although one slice handled them all (no 'resume' came).
    expect(holds).to.deep.equal([true, false]);
  });
});
