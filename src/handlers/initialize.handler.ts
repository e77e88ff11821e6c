import { ClientSession } from '../mcp/client-session';
import { RuntimeTuning } from '../runtime/runtime-tuning';
import { serverCapabilities, serverInfo } from '../mcp/server-info';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { InitializeParams } from '../protocol/mcp';
import { IncomingRequest } from '../protocol/methods';

/** `initialize`: version negotiation, capabilities, and a refusal of a second handshake (WIRE.md §3.1). */
@Method(IncomingRequest.initialize)
export class InitializeHandler implements Handler<InitializeParams> {
  constructor(
    private readonly session: ClientSession,
    private readonly tuning: RuntimeTuning,
  ) {}

  handle(params: InitializeParams) {
    const { name, version, title } = params.clientInfo;
    const protocolVersion = this.session.begin(params.protocolVersion, params.capabilities ?? {}, { name, version, title });
    this.tuning.afterHandshake();
    return { protocolVersion, capabilities: serverCapabilities(protocolVersion), serverInfo: serverInfo() };
  }
}
