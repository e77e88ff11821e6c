import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationLiveElsewhereError, RolloutLock, lockPathOf } from '../../src/conversations/rollout-lock';
import { createSilentLogger } from '../../src/logging/logger';
import { TempHome } from '../support/temp-home';

const ID = '6a1f3c2e-9b4d-4e8a-8c21-5d7e0f9a1b23';

/** The pid of a process that has exited: nothing answers to it any more (until the number is reused). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('RolloutLock (issue 18 finding 7)', () => {
  const log = createSilentLogger();
  let home: TempHome;
  let rollout: string;
  beforeEach(() => {
    home = new TempHome();
    rollout = join(home.path, 'rollout.jsonl');
    writeFileSync(rollout, '');
  });
  afterEach(() => home.remove());

  /** A lock folder as another process leaves it, with its pid file. */
  const foreignLock = (pidLine: string, ageMs = 0): void => {
    mkdirSync(lockPathOf(rollout));
    writeFileSync(`${lockPathOf(rollout)}.pid`, pidLine);
    const when = (Date.now() - ageMs) / 1000;
    utimesSync(lockPathOf(rollout), when, when);
  };

  it('is exclusive, names the holder, and leaves nothing behind once released', async () => {
    const lock = await RolloutLock.acquire(rollout, ID, log);
    expect(existsSync(`${lockPathOf(rollout)}.pid`)).to.equal(true);
    const err = await RolloutLock.acquire(rollout, ID, log).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConversationLiveElsewhereError);
    expect((err as Error).message).to.contain(`conversation ${ID} is live in another agentwire process (pid ${process.pid})`);
    await lock.release();
    await lock.release();
    expect(existsSync(lockPathOf(rollout))).to.equal(false);
    expect(existsSync(`${lockPathOf(rollout)}.pid`)).to.equal(false);
    const again = RolloutLock.acquireSync(rollout, ID, log);
    await again.release();
  });

  it('refuses while a holder on another host refreshes it, and takes it over once it is stale', async () => {
    foreignLock('4242@some-other-host');
    const err = await RolloutLock.acquire(rollout, ID, log).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConversationLiveElsewhereError);
    expect((err as ConversationLiveElsewhereError).pid).to.equal(4242);
    utimesSync(lockPathOf(rollout), (Date.now() - 60_000) / 1000, (Date.now() - 60_000) / 1000);
    const lock = await RolloutLock.acquire(rollout, ID, log);
    await lock.release();
  });

  it('takes over at once from a holder of this host that died without releasing (kill -9)', async () => {
    const pid = await deadPid();
    // This host's scope, as writePid records it: the same line a live server here would write.
    const mine = await RolloutLock.acquire(rollout, ID, log);
    const scope = readFileSync(`${lockPathOf(rollout)}.pid`, 'utf8').replace(/^\d+@/, '');
    await mine.release();

    foreignLock(`${pid}@${scope}`);
    const lock = RolloutLock.acquireSync(rollout, ID, log);
    expect(readFileSync(`${lockPathOf(rollout)}.pid`, 'utf8')).to.equal(`${process.pid}@${scope}`);
    await lock.release();
  });
});
