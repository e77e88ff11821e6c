import type * as Crypto from 'node:crypto';

/** 128 random bits as 32 lowercase hex digits: unguessable, and safe as a file name once checked. */
export function newTaskId(): string {
  return randomHex(16);
}

/** `bytes` random bytes as lowercase hex digits. */
export function randomHex(bytes: number): string {
  // node:crypto on first use: requiring it at start-up costs the first reply about 2 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  return (require('node:crypto') as typeof Crypto).randomBytes(bytes).toString('hex');
}

const TASK_ID = /^[0-9a-f]{32}$/;

/**
 * Whether a client-sent id has the shape of one we issue. Nothing else ever reaches the file
 * system: an id is never a path (no separators, no dots, fixed length).
 */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID.test(value);
}
