import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { AgentwireConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { Handler, HandlerClass, RequestContext } from '../router/handler';
import type { MethodOptions } from '../router/method.decorator';
import type { ToolDefinition } from '../mcp/tool-registry';
import type { AgentTool } from '../conversations/agent-tool';
import type { ModelProviderFactory } from '../model/model-providers';
import type * as Errors from '../router/errors';
import type { ElicitationProvider } from '../approvals/approval-requests';

export type { ElicitationProvider };

/** Called when the server shuts down (stdin closed, SIGTERM); release what the plugin holds. */
export type Disposer = () => void | Promise<void>;

/** A provider for a service the plugin adds to the container. */
export type ServiceProvider<T> = { useValue: T } | { useClass: new (...args: any[]) => T; singleton?: boolean } | { useFactory: (container: DependencyContainer) => T };

/** What a plugin's `register` receives; everything a plugin may contribute goes through it. */
export interface PluginContext {
  /** The plugin's own name. */
  readonly name: string;
  readonly config: AgentwireConfig;
  /** A child logger bound to `{ plugin: name }`, writing to stderr. */
  readonly log: Logger;
  /** Adds a handler class decorated with `@Method(name)` (or `@Notification(name)`). */
  handler(cls: HandlerClass): void;
  /** Adds a handler as a function, for plugins written without decorators. */
  method<P = unknown, R = unknown>(name: string, run: (params: P, ctx: RequestContext) => R | Promise<R>, options?: MethodOptions): void;
  /** Adds an MCP tool to `tools/list` and `tools/call`. */
  tool(def: ToolDefinition): void;
  /** Adds a function the agent's model may call during a turn (shell, apply_patch, update_plan, ...). */
  agentTool(tool: AgentTool): void;
  /** Supplies the approval elicitation of one kind (`exec`, `patch`). */
  elicitation<Req, Dec>(kind: string, provider: ElicitationProvider<Req, Dec>): void;
  /** The provider of an elicitation kind, looked up when called (the plugin that supplies it may load later). */
  elicitationFor<Req, Dec>(kind: string): ElicitationProvider<Req, Dec> | undefined;
  /**
   * Supplies the model of a provider id (`model_provider` in config.toml): turns with that provider
   * call it in-process instead of over HTTP. `factory` runs on the first request.
   */
  modelProvider(id: string, factory: ModelProviderFactory): void;
  /** Adds a service to the container, for handlers to inject. */
  provide<T>(token: InjectionToken<T>, provider: ServiceProvider<T>): void;
  /** Resolves a service from the container (plugins that are not classes). */
  resolve<T>(token: InjectionToken<T>): T;
  /** Error classes whose code and message reach the client (anything else thrown is -32603 "Internal error"). */
  readonly errors: PluginErrors;
  /** Runs at shutdown, in reverse order of registration. */
  onClose(fn: Disposer): void;
}

export interface PluginErrors {
  AgentwireError: typeof Errors.AgentwireError;
  InvalidRequestError: typeof Errors.InvalidRequestError;
  InvalidParamsError: typeof Errors.InvalidParamsError;
  InternalError: typeof Errors.InternalError;
  MethodNotFoundError: typeof Errors.MethodNotFoundError;
}

/** A plugin: a small object with a name and a `register` function (STYLE.md rule 6). */
export interface AgentwirePlugin {
  readonly name: string;
  /** Plugins that must be registered first. */
  readonly dependsOn?: readonly string[];
  /**
   * The name of a plugin (typically a built-in, `agentwire:exec-approval`) this one takes the place
   * of: that plugin is not registered, and plugins that depend on it get this one instead.
   */
  readonly replaces?: string;
  register(ctx: PluginContext): void | Promise<void>;
}

export type { Handler, HandlerClass };
