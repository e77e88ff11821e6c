import type { Readable, Writable } from 'node:stream';
import type { DependencyContainer } from 'tsyringe';
import { AuthManager } from './auth/auth-manager';
import { LoginSessions } from './auth/login-sessions';
import { AgentwireConfig } from './config/config';
import { resolveHome } from './config/home';
import { ConfigDerivationError } from './config/derivation-error';
import { checkStartupConfig } from './config/derive-settings';
import { unknownTopLevelKeys } from './config/config-schema';
import { createContainer } from './container';
import { createLogger, resolveLogLevel, type Logger } from './logging/logger';
import { ClientLogSink } from './logging/client-log-sink';
import type { AgentwirePlugin } from './plugins/plugin';
import { BUILTIN_PLUGINS } from './plugins/builtin';
import { PluginHost } from './plugins/plugin-host';
import { loadPluginModule } from './plugins/plugin-loader';
import { ProcessGroups } from './process/process-groups';
import { RuntimeTuning } from './runtime/runtime-tuning';
import { JsonRpcRouter } from './router/json-rpc-router';
import { StdioTransport } from './transport/stdio-transport';
import { guardStdout } from './transport/stdout-guard';

export interface ServerOptions {
  /** Dotted key → value, from `-c key=value`. */
  cliOverrides?: Record<string, unknown>;
  home?: string;
  input?: Readable;
  output?: Writable;
  /** Extra plugins given in code (embedding, tests), after the built-ins and before config's. */
  plugins?: AgentwirePlugin[];
  /** Swaps services in the root container for fakes before any plugin registers (tests). */
  overrides?: (container: DependencyContainer) => void;
}

/** How long requests still running when stdin closes may finish before they are aborted. */
const DRAIN_MS = 250;
/** Plugin close hooks get this long; the whole shutdown stays under the one second of the foundation issue. */
const CLOSE_HOOKS_MS = 400;

export interface RunningServer {
  container: DependencyContainer;
  logger: Logger;
  /** Resolves with the exit code once the server has shut down. */
  done: Promise<number>;
  shutdown(reason: string): Promise<number>;
}

export interface BuiltServer {
  container: DependencyContainer;
  logger: Logger;
  router: JsonRpcRouter;
  host: PluginHost;
}

/**
 * Builds the server without connecting it: config, container, every plugin, the login. Start-up
 * errors (bad config, a plugin that fails) are thrown here, before anything is read from stdin.
 */
export async function buildServer(options: Omit<ServerOptions, 'input' | 'output'> = {}): Promise<BuiltServer> {
  const home = options.home ?? resolveHome();
  const config = AgentwireConfig.load({ home, cliOverrides: options.cliOverrides });
  try {
    // As codex, a profile or provider that does not exist, or an unreadable instructions file, stops start-up.
    checkStartupConfig(config.tree);
  } catch (err) {
    if (err instanceof ConfigDerivationError) throw new ConfigDerivationError(`invalid configuration in ${config.path}: ${err.message}`);
    throw err;
  }
  const stderrLevel = resolveLogLevel(process.env, config.logLevel);
  const sink = new ClientLogSink();
  const logger = createLogger(stderrLevel, sink);
  const unknown = unknownTopLevelKeys(config.tree);
  if (unknown.length > 0) logger.debug({ keys: unknown, file: config.path }, 'unknown config keys ignored');
  const container = createContainer({ config, logger, clientLogSink: sink, overrides: options.overrides });

  const host = container.resolve(PluginHost);
  const thirdParty: AgentwirePlugin[] = [];
  for (const spec of config.plugins) thirdParty.push(...(await loadPluginModule(spec, home)));
  await host.registerAll([...BUILTIN_PLUGINS, ...(options.plugins ?? []), ...thirdParty]);
  await container.resolve(AuthManager).load();
  return { container, logger, router: container.resolve(JsonRpcRouter), host };
}

/** Builds the server and connects it to stdio (or the given streams). */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // The transport takes stdout's own write first; from then on anything else writing to stdout,
  // plugins registering included, goes to stderr.
  const transport = new StdioTransport(options.input, options.output);
  if (!options.output) guardStdout();
  const { container, logger, router, host } = await buildServer(options);
  transport.log = logger;

  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let stopping: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      container.resolve(RuntimeTuning).beforeShutdown();
      logger.debug({ reason }, 'shutting down');
      await router.drain(DRAIN_MS);
      router.close(reason);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([host.close(), new Promise((r) => (timer = setTimeout(r, CLOSE_HOOKS_MS)))]);
      clearTimeout(timer);
      // The browser login's callback port must not outlive the server.
      container.resolve(LoginSessions).close();
      container.resolve(ProcessGroups).killAll();
      transport.close();
      finish(0);
      return 0;
    })();
    return stopping;
  };

  router.connect(transport, (reason) => void shutdown(reason));
  logger.debug({ methods: router.methods() }, 'agentwire mcp ready');
  return { container, logger, done, shutdown };
}
