import { mkdirSync } from 'node:fs';
import type { Logger } from '../logging/logger';
import { AuthFileError, authFilePath, readAuthFile, type AuthFile } from './auth-file';

/*
 * Disk side of the login, shared by every process on one home folder (AUTH.md §6): atomic
 * replacement for every write, and one lock for every read-modify-write. The lock and atomic
 * write libraries are loaded on first use, so a server that never touches auth.json again after
 * start-up does not pay for them.
 */

/** How long to wait before reading a file that did not parse a second time (a writer may be mid-write). */
const REREAD_DELAY_MS = 50;

/**
 * A lock whose holder stopped refreshing its mtime for this long is taken over (the holder
 * crashed). A live holder refreshes it every half of this, also during a 60 s token refresh.
 */
const LOCK_STALE_MS = 10_000;

/**
 * Waiting for the lock gives up after roughly 100 s: longer than the 60 s an issuer call under
 * the lock may take, plus the stale time of a crashed holder.
 */
const LOCK_RETRIES = { retries: 400, factor: 1.2, minTimeout: 20, maxTimeout: 250, randomize: true };

/** The lock could not be taken, or auth.json could not be written or removed. */
export class AuthStoreError extends Error {}

/** What reading auth.json found: a login, no file, or a file that cannot be used (with why). */
export type AuthFileRead = { file: AuthFile } | { file?: undefined; missing: true } | { file?: undefined; error: string };

/**
 * Reads auth.json, reading once more after a short pause when it does not parse: a writer that
 * is not atomic (a codex running next to us) may be half-way through (AUTH.md §6 point 5).
 */
export async function readAuthFileSettled(home: string): Promise<AuthFileRead> {
  const attempt = (): AuthFileRead => {
    const file = readAuthFile(home);
    return file ? { file } : { missing: true };
  };
  try {
    return attempt();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, REREAD_DELAY_MS));
    try {
      return attempt();
    } catch (err) {
      return { error: err instanceof AuthFileError ? err.message : `auth.json cannot be used: ${(err as Error).message}` };
    }
  }
}

/** Options of {@link withAuthLock}. */
export interface AuthLockOptions {
  log?: Logger;
  /** Called once when another holder is found, before waiting for it. */
  onWait?: () => void;
}

/**
 * Runs `fn` holding the exclusive auth lock of the home folder: the directory `auth.json.lock`
 * (proper-lockfile), not a lock on auth.json itself, whose inode every atomic write replaces.
 * Works when auth.json does not exist yet. A crashed holder's lock goes stale after 10 s.
 */
export async function withAuthLock<T>(home: string, fn: () => Promise<T>, options: AuthLockOptions = {}): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const lockfile = require('proper-lockfile') as typeof import('proper-lockfile');
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new AuthStoreError(`cannot create the home folder: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const target = authFilePath(home);
  const base = {
    realpath: false,
    stale: LOCK_STALE_MS,
    // The default throws from a timer, which would end the process. Losing the lock is only
    // logged: the write that follows is still atomic, at worst it races one other writer.
    onCompromised: (err: Error) => options.log?.warn({ reason: err.message }, 'the auth.json lock was taken over while held'),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, { ...base, retries: 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockError(err);
    options.log?.debug('auth.json is locked by another process; waiting for it');
    options.onWait?.();
    try {
      release = await lockfile.lock(target, { ...base, retries: LOCK_RETRIES });
    } catch (err2) {
      throw lockError(err2);
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

function lockError(err: unknown): AuthStoreError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOCKED') return new AuthStoreError('auth.json is locked by another process');
  return new AuthStoreError(`cannot lock auth.json: ${code ?? (err as Error).message}`);
}

/**
 * Replaces auth.json atomically with mode 0600 (AUTH.md §6 points 1 and 6): a temp file in the
 * same folder, fsync, rename over auth.json (write-file-atomic), then fsync of the folder so the
 * rename itself survives a crash. A reader sees the old file or the new one, never a mix.
 */
export async function writeAuthJson(home: string, content: Record<string, unknown>): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    await writeFileAtomic(authFilePath(home), `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, fsync: true });
  } catch (err) {
    throw new AuthStoreError(`cannot write auth.json: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  await fsyncFolder(home);
}

/** Deletes auth.json (an unlink is atomic already); true when there was one. */
export async function removeAuthJson(home: string): Promise<boolean> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { unlink } = require('node:fs/promises') as typeof import('node:fs/promises');
  try {
    await unlink(authFilePath(home));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new AuthStoreError(`cannot remove auth.json: ${code ?? 'error'}`);
  }
  await fsyncFolder(home);
  return true;
}

/** Makes a rename or unlink in `folder` durable; file systems that cannot fsync a folder are skipped. */
async function fsyncFolder(folder: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { open } = require('node:fs/promises') as typeof import('node:fs/promises');
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on systems without directory fsync: the data is still renamed in place.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
