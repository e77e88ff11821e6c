import type * as Crypto from 'node:crypto';

/** node:crypto, required on first use: loading it at start-up costs the first reply more than a millisecond. */
function crypto(): typeof Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  return require('node:crypto') as typeof Crypto;
}

/** What a `requestState` binds (MCP-2026.md §5.3): the run, its pending input keys, an expiry, the call, a one-time nonce. */
export interface RequestStatePayload {
  /** The suspended run's id. */
  run: string;
  /** The `inputRequests` keys the state was issued with. */
  keys: string[];
  /** Expiry, ms since the epoch. */
  exp: number;
  /** Digest of the tool name and its canonical arguments (the originating request). */
  call: string;
  /** Single-use: the run accepts only the nonce of the state it last issued. */
  nonce: string;
}

const VERSION = 'v1';

/**
 * Seals and opens `requestState` strings: `v1.<base64url JSON>.<base64url HMAC-SHA256>` under a
 * key drawn at random for this process, so a state is worthless to any other process and after a
 * restart. The state is attacker-controlled input when it comes back (`mrtr.mdx`, "Server
 * Requirements"): open() checks the MAC in constant time and the payload's shape, and returns
 * undefined for anything else. Expiry and single use are checked by the caller against the run.
 * Written with node:crypto because no maintained library does this small, fixed thing more simply.
 */
export class RequestStateSeal {
  private keyBytes?: Buffer;

  /** Drawn on first use (the seal is made at start-up, a state only on a modern-era approval). */
  private get key(): Buffer {
    this.keyBytes ??= crypto().randomBytes(32);
    return this.keyBytes;
  }

  seal(payload: RequestStatePayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${VERSION}.${body}.${this.mac(body)}`;
  }

  open(state: string): RequestStatePayload | undefined {
    const parts = state.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
    const [, body, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(body), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !crypto().timingSafeEqual(given, expected)) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    return isPayload(value) ? value : undefined;
  }

  private mac(body: string): string {
    return crypto().createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }
}

/** The digest of a tool call a state is bound to: the tool name and its arguments with sorted keys. */
export function callDigest(tool: string, args: Record<string, unknown>): string {
  return crypto()
    .createHash('sha256')
    .update(JSON.stringify([tool, canonical(args)]))
    .digest('base64url');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
  return out;
}

function isPayload(value: unknown): value is RequestStatePayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.run === 'string' &&
    Array.isArray(v.keys) &&
    v.keys.every((k) => typeof k === 'string') &&
    typeof v.exp === 'number' &&
    typeof v.call === 'string' &&
    typeof v.nonce === 'string'
  );
}
