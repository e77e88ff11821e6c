import { container as globalContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { APPROVALS, ClientApprovals } from './approvals/approval-service';
import { AuthManager, ISSUER_CLIENT } from './auth/auth-manager';
import { LoginSessions } from './auth/login-sessions';
import { AgentToolRegistry } from './conversations/agent-tool';
import { CONVERSATIONS, ConversationManager } from './conversations/conversation-manager';
import { CONVERSATION_STORE, ConversationStore } from './conversations/conversation-store';
import { MODEL_CLIENT, ModelGateway } from './conversations/model-gateway';
import { SANDBOX_PROBE } from './exec/sandbox-probe';
import { GitSandbox } from './git/git-sandbox';
import { UserInputOrder } from './handlers/user-input';
import { AgentwireConfig, CLI_OVERRIDES } from './config/config';
import { LOG_LEVEL_CONTROL, SinkLogLevelControl } from './logging/log-level-control';
import { LOGGER, type Logger } from './logging/logger';
import { CLIENT, ConnectionClientChannel } from './mcp/client-channel';
import { ClientLogSink } from './logging/client-log-sink';
import { ClientSession } from './mcp/client-session';
import { ConnectionEra } from './mcp/era/connection-era';
import { EraGate } from './mcp/era/era-gate';
import { SuspendedRuns } from './mcp/mrtr/suspended-runs';
import { ToolRegistry } from './mcp/tool-registry';
import { LISTEN_SOURCES, ListenSources } from './mcp/listen-sources';
import { ModelProviderRegistry } from './model/model-providers';
import { PluginHost } from './plugins/plugin-host';
import { PROCESS_GROUPS, ProcessGroups } from './process/process-groups';
import { RuntimeTuning } from './runtime/runtime-tuning';
import { JsonRpcRouter } from './router/json-rpc-router';
import { OutgoingRequests } from './router/outgoing-requests';
import { TaskApprovals } from './tasks/task-approvals';
import { TASKS, TaskStore } from './tasks/task-store';
import { CONVERSATION_RESOURCES, ConversationResources } from './conversations/conversation-resources';
import { RESOURCE_SUBSCRIPTIONS, ResourceSubscriptions } from './conversations/resource-subscriptions';
import { OutgoingNotification } from './protocol/methods';

export interface ContainerOptions {
  config: AgentwireConfig;
  logger: Logger;
  /** Where client-requested log records go; a fresh sink when omitted. */
  clientLogSink?: ClientLogSink;
  /** Swaps in fakes before anything is resolved (tests). */
  overrides?: (c: DependencyContainer) => void;
}

/**
 * A function that builds its value on the first call and returns that one value ever after: the
 * lifetime of a per-process service whose module start-up must not load (child_process, the HTTP client,
 * the OAuth client). Written here rather than with tsyringe's `delay()`, which proxies a class
 * and would need the class, i.e. the module, at registration.
 */
function onFirstUse<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded on first use, not at start-up */
const loadModelClient = () => new (require('./model/model-client') as typeof import('./model/model-client')).ModelClient();
const loadSandboxProbe = () => new (require('./exec/sandbox') as typeof import('./exec/sandbox')).SandboxProbe();
function loadIssuerClient(config: AgentwireConfig) {
  const { IssuerClient, issuerSettings } = require('./auth/issuer') as typeof import('./auth/issuer');
  return new IssuerClient(issuerSettings(config));
}
/* eslint-enable @typescript-eslint/no-require-imports -- end of the lazily loaded modules above */

/** The services of logging in, for the login commands of the CLI, which serve no connection. */
export function createAuthContainer(options: Pick<ContainerOptions, 'config' | 'logger'>): DependencyContainer {
  const c = globalContainer.createChildContainer();
  c.registerInstance(AgentwireConfig, options.config);
  c.registerInstance(LOGGER, options.logger);
  c.registerInstance(CLI_OVERRIDES, options.config.cliOverrides);
  c.registerInstance(
    ISSUER_CLIENT,
    onFirstUse(() => loadIssuerClient(options.config)),
  );
  c.registerSingleton(AuthManager);
  return c;
}

/** The AuthManager of a login command. */
export function authManagerFor(config: AgentwireConfig, logger: Logger): AuthManager {
  return createAuthContainer({ config, logger }).resolve(AuthManager);
}

/**
 * The composition root: the only place that picks lifetimes (STYLE.md rule 4). Everything here is
 * one per process; each request then gets a child container of this one (see JsonRpcRouter).
 */
export function createContainer(options: ContainerOptions): DependencyContainer {
  const c = createAuthContainer(options);
  c.registerSingleton(LoginSessions);
  c.registerSingleton(ToolRegistry);
  c.registerSingleton(ListenSources);
  c.register(LISTEN_SOURCES, { useToken: ListenSources });
  c.registerSingleton(AgentToolRegistry);
  c.registerSingleton(ModelProviderRegistry);
  c.registerInstance(MODEL_CLIENT, onFirstUse(loadModelClient));
  c.registerSingleton(ModelGateway);
  c.registerSingleton(ConversationManager);
  c.register(CONVERSATIONS, { useToken: ConversationManager });
  c.registerSingleton(ConversationStore);
  c.register(CONVERSATION_STORE, { useToken: ConversationStore });
  // Conversations as resources (the resources plugin's handlers and listen source).
  c.registerSingleton(ConversationResources);
  c.register(CONVERSATION_RESOURCES, { useToken: ConversationResources });
  c.registerSingleton(ResourceSubscriptions);
  c.register(RESOURCE_SUBSCRIPTIONS, { useToken: ResourceSubscriptions });
  c.registerSingleton(ClientSession);
  c.registerSingleton(ConnectionEra);
  c.registerInstance(SuspendedRuns, new SuspendedRuns(options.logger));
  c.registerSingleton(ConnectionClientChannel);
  c.register(CLIENT, { useToken: ConnectionClientChannel });
  c.registerSingleton(ClientApprovals);
  c.register(APPROVALS, { useToken: ClientApprovals });
  c.registerSingleton(ProcessGroups);
  c.registerInstance(SANDBOX_PROBE, onFirstUse(loadSandboxProbe));
  c.registerSingleton(RuntimeTuning);
  c.registerSingleton(GitSandbox);
  c.registerSingleton(UserInputOrder);
  c.register(PROCESS_GROUPS, { useToken: ProcessGroups });

  const sink = options.clientLogSink ?? new ClientLogSink();
  c.registerInstance(ClientLogSink, sink);
  c.registerInstance(LOG_LEVEL_CONTROL, new SinkLogLevelControl(sink));

  const router = new JsonRpcRouter(c, options.logger);
  c.registerInstance(JsonRpcRouter, router);
  c.registerInstance(OutgoingRequests, router.outgoing);
  // One task store behind both eras, on disk under <home>/tasks/ (issue 13).
  c.registerInstance(TaskStore, new TaskStore(options.config.home, options.config.maxRunningTasks, options.logger));
  c.register(TASKS, { useToken: TaskStore });
  c.register(TaskApprovals, {
    useFactory: instanceCachingFactory((d) => new TaskApprovals(d.resolve(TaskStore), d.resolve(CLIENT))),
  });
  // The era of the connection is decided in one place, consulted by the router for every message.
  router.useGate(new EraGate(c.resolve(ConnectionEra), c.resolve(ClientSession)));
  sink.connect((params) => router.outgoing.notify(OutgoingNotification.logMessage, params));

  c.register(PluginHost, {
    useFactory: instanceCachingFactory(() => new PluginHost(c, router, c.resolve(ToolRegistry), options.config, options.logger)),
  });
  options.overrides?.(c);
  return c;
}
