import { container as globalContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { AuthManager } from './auth/auth-manager';
import { AgentToolRegistry } from './conversations/agent-tool';
import { ConversationManager } from './conversations/conversation-manager';
import { ModelGateway } from './conversations/model-gateway';
import { GitSandbox } from './git/git-sandbox';
import { AgentwireConfig } from './config/config';
import { LOG_LEVEL_CONTROL, SinkLogLevelControl } from './logging/log-level-control';
import type { Logger } from './logging/logger';
import { ClientLogSink } from './mcp/client-log-sink';
import { ClientSession } from './mcp/client-session';
import { ConnectionEra } from './mcp/era/connection-era';
import { EraGate } from './mcp/era/era-gate';
import { SuspendedRuns } from './mcp/mrtr/suspended-runs';
import { ToolRegistry } from './mcp/tool-registry';
import { PluginHost } from './plugins/plugin-host';
import { ProcessGroups } from './process/process-groups';
import { RuntimeTuning } from './runtime/runtime-tuning';
import { JsonRpcRouter } from './router/json-rpc-router';
import { OutgoingRequests } from './router/outgoing-requests';
import { CLI_OVERRIDES, LOGGER, PROCESS_GROUPS } from './tokens';

export interface ContainerOptions {
  config: AgentwireConfig;
  logger: Logger;
  /** Where client-requested log records go; a fresh sink when omitted. */
  clientLogSink?: ClientLogSink;
  /** Swaps in fakes before anything is resolved (tests). */
  overrides?: (c: DependencyContainer) => void;
}

/**
 * The composition root: the only place that picks lifetimes (STYLE.md rule 4). Everything here is
 * one per process; each request then gets a child container of this one (see JsonRpcRouter).
 */
export function createContainer(options: ContainerOptions): DependencyContainer {
  const c = globalContainer.createChildContainer();
  c.registerInstance(AgentwireConfig, options.config);
  c.registerInstance(LOGGER, options.logger);
  c.registerInstance(CLI_OVERRIDES, options.config.cliOverrides);
  c.registerSingleton(AuthManager);
  c.registerSingleton(ToolRegistry);
  c.registerSingleton(AgentToolRegistry);
  c.registerSingleton(ModelGateway);
  c.registerSingleton(ConversationManager);
  c.registerSingleton(ClientSession);
  c.registerSingleton(ConnectionEra);
  c.registerInstance(SuspendedRuns, new SuspendedRuns(options.logger));
  c.registerSingleton(ProcessGroups);
  c.registerSingleton(RuntimeTuning);
  c.registerSingleton(GitSandbox);
  c.register(PROCESS_GROUPS, { useToken: ProcessGroups });

  const sink = options.clientLogSink ?? new ClientLogSink();
  c.registerInstance(ClientLogSink, sink);
  c.registerInstance(LOG_LEVEL_CONTROL, new SinkLogLevelControl(sink));

  const router = new JsonRpcRouter(c, options.logger);
  c.registerInstance(JsonRpcRouter, router);
  c.registerInstance(OutgoingRequests, router.outgoing);
  // The era of the connection is decided in one place, consulted by the router for every message.
  router.useGate(new EraGate(c.resolve(ConnectionEra), c.resolve(ClientSession)));
  sink.connect((method, params) => router.outgoing.notify(method, params));

  c.register(PluginHost, {
    useFactory: instanceCachingFactory(() => new PluginHost(c, router, c.resolve(ToolRegistry), options.config, options.logger)),
  });
  options.overrides?.(c);
  return c;
}

