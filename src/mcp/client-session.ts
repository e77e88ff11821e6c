import { HANDSHAKE_PROTOCOL_VERSIONS, LATEST_HANDSHAKE_VERSION } from '../protocol/mcp-2026-names';
import { InvalidRequestError } from '../router/errors';

/** Handshake-era MCP versions agentwire speaks; the last is answered to any other request (WIRE.md §3.1). */
export const SUPPORTED_PROTOCOL_VERSIONS = HANDSHAKE_PROTOCOL_VERSIONS;
export const LATEST_PROTOCOL_VERSION = LATEST_HANDSHAKE_VERSION;

export interface ClientInfo {
  name: string;
  version: string;
  title?: string;
}

/**
 * What the client told us in `initialize`: one per connection (a container singleton, since a
 * process serves one stdio connection). Plugins read it through the ClientChannel (CLIENT token).
 */
export class ClientSession {
  private initializeSeen = false;
  private initializedNotified = false;
  protocolVersion: string = LATEST_PROTOCOL_VERSION;
  capabilities: Record<string, unknown> = {};
  clientInfo?: ClientInfo;

  /** Records the handshake and returns the version to answer; a second call is refused as in 0.29. */
  begin(requestedVersion: string, capabilities: Record<string, unknown>, clientInfo: ClientInfo): string {
    if (this.initializeSeen) throw new InvalidRequestError('initialize called more than once');
    this.initializeSeen = true;
    this.protocolVersion = (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requestedVersion) ? requestedVersion : LATEST_PROTOCOL_VERSION;
    this.capabilities = capabilities;
    this.clientInfo = clientInfo;
    return this.protocolVersion;
  }

  /** The client sent `notifications/initialized`: the handshake is complete. */
  markInitialized(): void {
    this.initializedNotified = true;
  }

  /** Whether the client negotiated `version` in an `initialize` (not just the default a 0.29 client gets). */
  negotiated(version: string): boolean {
    return this.initializeSeen && this.protocolVersion === version;
  }

  /**
   * `initialize` answered and `notifications/initialized` received. Before that the server sends
   * no notification of its own (the tasks plugin's status notifications wait for it).
   */
  get isInitialized(): boolean {
    return this.initializeSeen && this.initializedNotified;
  }
}
