import { InitializeHandler } from '../../handlers/initialize.handler';
import { LoggingSetLevelHandler } from '../../handlers/logging-set-level.handler';
import { NotificationsInitializedHandler } from '../../handlers/notifications-initialized.handler';
import { PingHandler } from '../../handlers/ping.handler';
import { ServerDiscoverHandler } from '../../handlers/server-discover.handler';
import { SubscriptionsListenHandler } from '../../handlers/subscriptions-listen.handler';
import { ToolsCallHandler } from '../../handlers/tools-call.handler';
import { ToolsListHandler } from '../../handlers/tools-list.handler';
import type { AgentwirePlugin } from '../plugin';

/** The MCP core: handshake, ping, tools, logging, and the modern era's discover and listen. `notifications/cancelled` lives in the router. */
export const mcpCorePlugin: AgentwirePlugin = {
  name: 'agentwire:mcp-core',
  register(ctx) {
    ctx.handler(InitializeHandler);
    ctx.handler(NotificationsInitializedHandler);
    ctx.handler(PingHandler);
    ctx.handler(ToolsListHandler);
    ctx.handler(ToolsCallHandler);
    ctx.handler(LoggingSetLevelHandler);
    // MCP 2026-07-28 (the modern era): admitted by the EraGate only on a modern or undecided connection.
    ctx.handler(ServerDiscoverHandler);
    ctx.handler(SubscriptionsListenHandler);
  },
};
