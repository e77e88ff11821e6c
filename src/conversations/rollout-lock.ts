import { readFileSync, readlinkSync, rmdir, rmdirSync, unlink, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logging/logger';
import { InvalidRequestError } from '../router/errors';
import { os } from '../runtime/lazy-os';

/**
 * A lock not refreshed for this long belongs to a process that died without releasing it (a
 * `kill -9`): the next resume takes it over. The holder refreshes it every half of this (the
 * lock folder's mtime, proper-lockfile's `update`), so a live holder loses it only when its
 * event loop stalls for longer than this.
 */
export const ROLLOUT_LOCK_STALE_MS = 10_000;

/** A second resume of a conversation another process runs (`-32600`, names the conflict). */
export class ConversationLiveElsewhereError extends InvalidRequestError {
  constructor(
    readonly conversationId: string,
    readonly pid: number | undefined,
  ) {
    super(
      `conversation ${conversationId} is live in another agentwire process (${pid === undefined ? 'pid unknown' : `pid ${pid}`}); fork it instead, or wait until it ends there`,
    );
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- proper-lockfile loads with the first conversation, not at start-up */
const lockfile = (): typeof import('proper-lockfile') => require('proper-lockfile') as typeof import('proper-lockfile');
const nodeFs = (): typeof import('node:fs') => require('node:fs') as typeof import('node:fs');
/* eslint-enable @typescript-eslint/no-require-imports -- end of the lazily loaded modules above */

/** The lock folder of a rollout: `<rollout>.lock`, next to it (listings take only `.jsonl` files). */
export function lockPathOf(rollout: string): string {
  return `${rollout}.lock`;
}

/**
 * Where the holder's pid is kept: a file beside the lock folder, not inside it, because a file
 * created inside would change the folder's mtime, which proper-lockfile takes as a sign that
 * someone else took the lock over.
 */
function pidPathOf(lock: string): string {
  return `${lock}.pid`;
}

/**
 * proper-lockfile's fs, but removing a lock folder removes its pid file first. Used for the
 * release, the take-over of a stale lock and the library's exit hook alike.
 */
function lockFs(): typeof import('node:fs') {
  const fs = nodeFs();
  return {
    ...fs,
    rmdir: ((path: string, callback: (err: NodeJS.ErrnoException | null) => void) => unlink(pidPathOf(path), () => rmdir(path, callback))) as typeof fs.rmdir,
    rmdirSync: ((path: string) => {
      try {
        unlinkSync(pidPathOf(path));
      } catch {
        // No pid file (a lock another version made, or one being taken): the folder is what counts.
      }
      rmdirSync(path);
    }) as typeof fs.rmdirSync,
  };
}

/**
 * The exclusive right of one process to append to one rollout, held while its conversation is
 * live there: proper-lockfile's lock folder next to the file (an atomic mkdir, the usual way on
 * every file system, NFS included), with the holder's pid beside it for the error the others get.
 * Released when the conversation ends, and by the library's exit hook when the process exits
 * normally or by a signal. After a `kill -9` the next process on the same machine sees that the
 * recorded pid is gone and takes the lock over at once; a holder on another machine (a shared
 * home) is taken over once the lock has not been refreshed for {@link ROLLOUT_LOCK_STALE_MS}.
 */
export class RolloutLock {
  private released = false;

  private constructor(
    readonly rollout: string,
    private readonly releaseFn: () => Promise<void> | void,
  ) {}

  /**
   * Takes the lock of a rollout that already has its folder (a new conversation's, whose id
   * nobody else knows yet). Synchronous: a new conversation is registered in the same tick.
   *
   * @throws ConversationLiveElsewhereError when another process holds it
   */
  static acquireSync(rollout: string, conversationId: string, log: Logger): RolloutLock {
    let release: () => void;
    try {
      release = lockfile().lockSync(rollout, options(log));
    } catch (err) {
      if (!takeOverIfHolderDied(err, rollout)) throw lockFailure(err, rollout, conversationId);
      try {
        release = lockfile().lockSync(rollout, options(log));
      } catch (err2) {
        throw lockFailure(err2, rollout, conversationId);
      }
    }
    writePid(rollout);
    return new RolloutLock(rollout, release);
  }

  /**
   * Takes the lock of an existing rollout (resume, codex-reply after a restart, archive).
   *
   * @throws ConversationLiveElsewhereError when another live process holds it
   */
  static async acquire(rollout: string, conversationId: string, log: Logger): Promise<RolloutLock> {
    let release: () => Promise<void>;
    try {
      release = await lockfile().lock(rollout, options(log));
    } catch (err) {
      if (!takeOverIfHolderDied(err, rollout)) throw lockFailure(err, rollout, conversationId);
      try {
        release = await lockfile().lock(rollout, options(log));
      } catch (err2) {
        throw lockFailure(err2, rollout, conversationId);
      }
    }
    writePid(rollout);
    return new RolloutLock(rollout, release);
  }

  /** Removes the lock folder; a second call does nothing. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await this.releaseFn();
    } catch {
      // Already released: taken over after a stall (logged by onCompromised) or removed by hand.
    }
  }
}

function options(log: Logger) {
  return {
    // The caller passes the real path already; the lock folder must not follow a link elsewhere.
    realpath: false,
    stale: ROLLOUT_LOCK_STALE_MS,
    retries: 0,
    fs: lockFs(),
    // The library's default throws from a timer, which would end the process.
    onCompromised: (err: Error) => log.warn({ reason: err.message }, 'a rollout lock was taken over by another process after a stall; two processes may now append to one rollout'),
  };
}

/**
 * Where a pid means something: the host name and, on Linux, the pid namespace. A pid alone
 * means nothing to a process on another machine sharing the home, or in another container
 * that shares this one's host name.
 */
function pidScope(): string {
  let namespace = '';
  try {
    namespace = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: the host name alone.
  }
  return `${os().hostname()} ${namespace}`.trim();
}

/** `<pid>@<scope>`, beside the lock folder. */
function writePid(rollout: string): void {
  try {
    writeFileSync(pidPathOf(lockPathOf(rollout)), `${process.pid}@${pidScope()}`, { mode: 0o600 });
  } catch {
    // Only the error message of a competing process and the dead-holder check need it.
  }
}

/** The holder a pid file names, if it names one. */
function holderOf(rollout: string): { pid: number; scope: string } | undefined {
  try {
    const match = /^(\d+)@(.{0,400})$/.exec(readFileSync(pidPathOf(lockPathOf(rollout)), 'utf8').slice(0, 500));
    return match ? { pid: Number(match[1]), scope: match[2] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A lock whose holder was a process of this machine (and pid namespace) that no longer exists (killed with -9, so
 * no exit hook ran) is made stale at once, so that the next attempt takes it over through
 * proper-lockfile's own stale path, instead of waiting {@link ROLLOUT_LOCK_STALE_MS}. A reused
 * pid only makes the lock look alive: then the mtime decides, as for a holder on another host.
 *
 * @returns true when another attempt is worth making
 */
function takeOverIfHolderDied(err: unknown, rollout: string): boolean {
  if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') return false;
  const holder = holderOf(rollout);
  if (!holder || holder.scope !== pidScope() || holder.pid === process.pid || isAlive(holder.pid)) return false;
  try {
    utimesSync(lockPathOf(rollout), 0, 0);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockFailure(err: unknown, rollout: string, conversationId: string): Error {
  if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return new ConversationLiveElsewhereError(conversationId, holderOf(rollout)?.pid);
  return new InvalidRequestError(`cannot lock the rollout of conversation ${conversationId}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}
