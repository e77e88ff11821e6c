import {
  ALL_PROTOCOL_VERSIONS,
  CACHEABLE_METHODS,
  LOG_LEVELS,
  MODERN_METHODS,
  MODERN_PROTOCOL_VERSION,
  MetaKey,
  ModernErrorCode,
  ModernMethod,
  REMOVED_IN_MODERN,
} from '../../protocol/mcp-2026-names';
import { IncomingNotification, IncomingRequest, OutgoingNotification } from '../../protocol/methods';
import type { NotificationSpec } from '../../protocol/spec';
import { isRecord } from '../../protocol/is-record';
import { ErrorCode, type WireError } from '../../router/errors';
import type { RequestContext } from '../../router/handler';
import type { GateVerdict, RequestGate } from '../../router/request-gate';
import type { ClientSession } from '../client-session';
import { modernServerInfo } from '../server-info';
import type { ConnectionEra } from './connection-era';

/** `ttlMs` of tools/list and server/discover: the same for every caller; changes go out on subscriptions/listen. */
export const LIST_TTL_MS = 300_000;

const HANDSHAKE = { protocol: { era: 'handshake' } } as const;

/** Notifications a modern client may receive: progress of its own requests, and its listen streams. */
const MODERN_OUTGOING_NOTIFICATIONS: ReadonlySet<string> = new Set(
  Object.values(OutgoingNotification as Record<string, NotificationSpec>)
    .filter((spec) => spec.eras.includes('modern'))
    .map((spec) => spec.name),
);

/**
 * The one place where the era of a message is decided and enforced (MCP-2026.md §1, §2): the
 * first request locks the connection to the handshake era (`initialize`, a codex 0.29 method, any
 * request without `io.modelcontextprotocol/protocolVersion` in `_meta`) or to the modern era (a
 * request with it that passes the envelope checks). A refused probe leaves the era undecided, so
 * a dual-era client can still fall back to `initialize`. Handlers never test the era themselves
 * except where the work differs (tools/call runs approvals as multi round-trip results).
 */
export class EraGate implements RequestGate {
  constructor(
    private readonly era: ConnectionEra,
    private readonly session: ClientSession,
  ) {}

  admitRequest(method: string, params: unknown, served: boolean): GateVerdict {
    const meta = isRecord(params) && isRecord(params._meta) ? params._meta : undefined;
    const modern = meta !== undefined && MetaKey.ProtocolVersion in meta;
    switch (this.era.current) {
      case 'undecided': {
        if (!modern) {
          // A bare probe is no signal either way: answer it without locking the connection.
          if (method === ModernMethod.Discover) return { error: missingKey(MetaKey.ProtocolVersion) };
          this.era.lock('handshake', method);
          return HANDSHAKE;
        }
        const refused = checkEnvelope(meta, ALL_PROTOCOL_VERSIONS);
        if (refused) return { error: refused };
        this.era.lock('modern', method);
        return this.admitModern(method, meta, served);
      }
      case 'handshake':
        if (method === ModernMethod.Discover) return { error: { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` } };
        if (modern) {
          return {
            error: {
              code: ErrorCode.InvalidRequest,
              message: `this connection is in the handshake era (${this.handshakeName()}); MCP ${MODERN_PROTOCOL_VERSION} requests need a new process`,
            },
          };
        }
        return HANDSHAKE;
      case 'modern':
        if (method === IncomingRequest.initialize.name) {
          const requested = isRecord(params) && typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
          return { error: unsupportedVersion(`this process serves ${MODERN_PROTOCOL_VERSION} only`, [MODERN_PROTOCOL_VERSION], requested) };
        }
        if (!meta || !modern) return { error: missingKey(MetaKey.ProtocolVersion) };
        return this.admitModern(method, meta, served);
    }
  }

  /** What the handshake-era connection speaks, for the refusal of a modern request. */
  private handshakeName(): string {
    return this.era.openedBy === IncomingRequest.initialize.name
      ? `MCP ${this.session.protocolVersion}, negotiated by initialize`
      : `codex 0.29 / MCP without initialize, opened by ${this.era.openedBy ?? 'a request'}`;
  }

  admitNotification(method: string): boolean {
    // The handshake's own notification means nothing to a stateless connection.
    return !(this.era.current === 'modern' && method === IncomingNotification.initialized.name);
  }

  finishResult(method: string, result: unknown, ctx: RequestContext): unknown {
    if (ctx.protocol?.era !== 'modern' || !isRecord(result)) return result;
    const out: Record<string, unknown> = { ...result, resultType: result.resultType ?? 'complete' };
    out._meta = { ...(isRecord(result._meta) ? result._meta : {}), [MetaKey.ServerInfo]: modernServerInfo() };
    if (CACHEABLE_METHODS.has(method) && out.resultType === 'complete' && out.ttlMs === undefined) {
      out.ttlMs = LIST_TTL_MS;
      out.cacheScope = 'public';
    }
    return out;
  }

  allowOutgoing(message: Record<string, unknown>): boolean {
    if (this.era.current !== 'modern') return true;
    if (!('method' in message)) return true; // responses
    // No server-to-client request in this era, and only the notifications the client asked for.
    return !('id' in message) && typeof message.method === 'string' && MODERN_OUTGOING_NOTIFICATIONS.has(message.method);
  }

  /** Checks 1-6 of MCP-2026.md §2 for a request on a modern connection. */
  private admitModern(method: string, meta: Record<string, unknown>, served: boolean): GateVerdict {
    const refused = checkEnvelope(meta, [MODERN_PROTOCOL_VERSION]);
    if (refused) return { error: refused };
    if (!MODERN_METHODS.has(method) || !served) return { error: notInModernEra(method, served) };
    const level = meta[MetaKey.LogLevel];
    if (level !== undefined && !(typeof level === 'string' && LOG_LEVELS.includes(level))) {
      return {
        error: invalidParams(`Invalid params: _meta.${MetaKey.LogLevel} must be one of ${LOG_LEVELS.join(', ')}`, { errors: [`_meta.${MetaKey.LogLevel}: not a log level`] }),
      };
    }
    return { protocol: { era: 'modern', clientCapabilities: meta[MetaKey.ClientCapabilities] as Record<string, unknown> } };
  }
}

/** Checks 1-3: the version key, a served version, and the capabilities object. */
function checkEnvelope(meta: Record<string, unknown>, supported: readonly string[]): WireError | undefined {
  const version = meta[MetaKey.ProtocolVersion];
  if (typeof version !== 'string') return missingKey(MetaKey.ProtocolVersion);
  if (version !== MODERN_PROTOCOL_VERSION) return unsupportedVersion('Unsupported protocol version', supported, version);
  if (!isRecord(meta[MetaKey.ClientCapabilities])) return missingKey(MetaKey.ClientCapabilities);
  return undefined;
}

function missingKey(key: string): WireError {
  return invalidParams(`Invalid params: _meta is missing ${key}`, { missing: [key] });
}

function invalidParams(message: string, data: unknown): WireError {
  return { code: ErrorCode.InvalidParams, message, data };
}

function unsupportedVersion(message: string, supported: readonly string[], requested: string): WireError {
  return { code: ModernErrorCode.UnsupportedProtocolVersion, message, data: { supported: [...supported], requested } };
}

function notInModernEra(method: string, served: boolean): WireError {
  if (REMOVED_IN_MODERN.has(method)) {
    return { code: ErrorCode.MethodNotFound, message: `Method not found: ${method} does not exist in MCP ${MODERN_PROTOCOL_VERSION}` };
  }
  if (served) {
    return {
      code: ErrorCode.MethodNotFound,
      message: `Method not found: ${method} is a handshake-era method (codex 0.29 / MCP up to 2025-11-25); start a new process and send initialize to use it`,
    };
  }
  return { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` };
}
