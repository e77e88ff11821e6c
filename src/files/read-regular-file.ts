import { constants, promises as fsp, type Stats } from 'node:fs';

/** The default of config `max_image_bytes`: the largest image file read for the model. */
export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Bytes asked for per read, so an abort is noticed between reads of a large file. */
const CHUNK_BYTES = 1024 * 1024;

/** Why a file was not read, in words fit for the client and the model. */
export class FileRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

/** Limits of {@link readRegularFile}. */
export interface ReadRegularFileOptions {
  /** Files larger than this are refused. */
  maxBytes: number;
  /** Aborting it stops the read between chunks; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads a whole regular file, asynchronously and bounded. FIFOs, sockets and devices are refused:
 * a FIFO without a writer would wait for ever (and an ordinary open would park one of libuv's few
 * threadpool threads for good), and `/dev/zero` never ends. The path is checked with `stat` before
 * anything is opened (opening some devices has effects of its own), then opened with `O_NONBLOCK`
 * and checked again with `fstat`, so a file swapped for a FIFO in between cannot block either.
 *
 * @throws FileRefusedError for a missing, unreadable, special or too large file
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Buffer> {
  const { maxBytes, signal } = options;
  signal?.throwIfAborted();
  refuseUnlessRegular(await attempt(() => fsp.stat(path)), maxBytes);
  signal?.throwIfAborted();
  const handle = await attempt(() => fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY));
  try {
    refuseUnlessRegular(await attempt(() => handle.stat()), maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      // One byte more than allowed tells a file that grew past the limit after the check.
      const want = Math.min(CHUNK_BYTES, maxBytes + 1 - total);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await attempt(() => handle.read(chunk, 0, want, null));
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileRefusedError(`file is larger than ${maxBytes} bytes`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    signal?.throwIfAborted();
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function refuseUnlessRegular(stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new FileRefusedError(`not a regular file (${kindOf(stats)})`);
  if (stats.size > maxBytes) throw new FileRefusedError(`file is ${stats.size} bytes, larger than the limit of ${maxBytes} bytes`);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** Runs a file-system call; its errors become a {@link FileRefusedError} with the usual wording. */
async function attempt<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new FileRefusedError(ERRNO_TEXT[code] ?? code);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
};
