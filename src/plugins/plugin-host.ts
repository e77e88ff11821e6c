import { injectable, type DependencyContainer, type InjectionToken } from 'tsyringe';
import type { AgentwireConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { ToolRegistry } from '../mcp/tool-registry';
import { AgentToolRegistry } from '../conversations/agent-tool';
import { ModelProviderRegistry } from '../model/model-providers';
import type { HandlerClass } from '../router/handler';
import type { JsonRpcRouter } from '../router/json-rpc-router';
import { readMethodMetadata, type MethodOptions } from '../router/method.decorator';
import { AgentwireError, InternalError, InvalidParamsError, InvalidRequestError, MethodNotFoundError } from '../router/errors';
import type { AgentwirePlugin, Disposer, ElicitationProvider, PluginContext, ServiceProvider } from './plugin';

/** A plugin could not be loaded or registered; start-up stops with this message. */
export class PluginError extends Error {
  constructor(
    readonly code: string,
    readonly plugin: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Registers plugins, built-in and third-party alike, through one PluginContext. It refuses
 * duplicate plugin names, missing dependencies and two claims on one method, tool, agent tool,
 * model provider or elicitation kind, naming both claimants; it lets a plugin that declares
 * `replaces` take the place of another; and it runs the plugins' close hooks at shutdown.
 */
export class PluginHost {
  private readonly loaded = new Set<string>();
  private readonly elicitations = new Map<string, { provider: ElicitationProvider; owner: string }>();
  private readonly disposers: Array<{ owner: string; fn: Disposer }> = [];

  constructor(
    private readonly container: DependencyContainer,
    private readonly router: JsonRpcRouter,
    private readonly tools: ToolRegistry,
    private readonly config: AgentwireConfig,
    private readonly log: Logger,
  ) {}

  /** Registers plugins in dependency order (a dependency may come later in the list). */
  async registerAll(plugins: AgentwirePlugin[]): Promise<void> {
    for (const plugin of orderByDependencies(this.withoutReplaced(plugins), this.loaded)) await this.register(plugin);
  }

  /**
   * The list without the plugins others replace. Each replaced name must be in the list (or the
   * replacement would silently add what it meant to swap), and has one replacement.
   */
  private withoutReplaced(plugins: AgentwirePlugin[]): AgentwirePlugin[] {
    const replacedBy = new Map<string, string>();
    for (const p of plugins) {
      const target: unknown = p?.replaces;
      if (target === undefined) continue;
      const name = String(p.name);
      if (typeof target !== 'string' || target === '' || target === name) {
        throw new PluginError('AW_PLUGIN_INVALID', name, `plugin ${name}: replaces must name another plugin`);
      }
      const other = replacedBy.get(target);
      if (other !== undefined) throw new PluginError('AW_PLUGIN_REPLACE_DUPLICATE', name, `plugin ${target} is replaced by both ${other} and ${name}`);
      const original = plugins.find((q) => q?.name === target);
      if (!original) throw new PluginError('AW_PLUGIN_DEPENDENCY', name, `plugin ${name} replaces plugin ${target}, which is not loaded`);
      if (original.replaces !== undefined) {
        throw new PluginError('AW_PLUGIN_INVALID', name, `plugin ${name} replaces plugin ${target}, which itself replaces ${original.replaces}`);
      }
      replacedBy.set(target, name);
    }
    return plugins.filter((p) => !(p && typeof p.name === 'string' && replacedBy.has(p.name)));
  }

  async register(plugin: AgentwirePlugin): Promise<void> {
    const name = plugin?.name;
    if (typeof name !== 'string' || name === '' || typeof plugin.register !== 'function') {
      throw new PluginError('AW_PLUGIN_INVALID', String(name ?? '<unnamed>'), 'a plugin must be an object with a name and a register(context) function');
    }
    if (this.loaded.has(name)) throw new PluginError('AW_PLUGIN_DUPLICATE', name, `plugin ${name} is loaded twice`);
    const replaces = plugin.replaces;
    if (replaces !== undefined && this.loaded.has(replaces)) {
      throw new PluginError('AW_PLUGIN_DUPLICATE', name, `plugin ${replaces} is already loaded, so ${name} cannot replace it`);
    }
    for (const dep of plugin.dependsOn ?? []) {
      if (!this.loaded.has(dep)) throw new PluginError('AW_PLUGIN_DEPENDENCY', name, `plugin ${name} needs plugin ${dep}, which is not loaded`);
    }
    try {
      await plugin.register(this.contextFor(name));
    } catch (err) {
      if (err instanceof PluginError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new PluginError('AW_PLUGIN_REGISTER_FAILED', name, `plugin ${name} failed to register: ${reason}`);
    }
    this.loaded.add(name);
    // Plugins that depend on the replaced one are satisfied by the replacement.
    if (replaces !== undefined) {
      this.loaded.add(replaces);
      this.log.debug({ plugin: name, replaces }, 'plugin replaces another');
    }
  }

  has(name: string): boolean {
    return this.loaded.has(name);
  }

  /** The approval elicitation provider of a kind, if a plugin supplied one. */
  elicitation<Req, Dec>(kind: string): ElicitationProvider<Req, Dec> | undefined {
    return this.elicitations.get(kind)?.provider as ElicitationProvider<Req, Dec> | undefined;
  }

  /** Runs every close hook, newest first; a failing hook is logged and the others still run. */
  async close(): Promise<void> {
    for (const { owner, fn } of this.disposers.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        this.log.warn({ plugin: owner, err: (err as Error)?.message }, 'plugin close hook failed');
      }
    }
  }

  private contextFor(owner: string): PluginContext {
    const wrap = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        throw new PluginError(typeof code === 'string' ? code : 'AW_PLUGIN_REGISTER_FAILED', owner, (err as Error).message);
      }
    };
    return {
      name: owner,
      config: this.config,
      log: this.log.child({ plugin: owner }),
      handler: (cls: HandlerClass) =>
        wrap(() => {
          const meta = readMethodMetadata(cls);
          if (!meta) throw new Error(`class ${cls.name} has no @Method or @Notification decorator`);
          // The class may have been decorated by another copy of tsyringe (a plugin's own
          // dependency); registering it here makes this container able to build it.
          injectable()(cls);
          this.router.add({ meta, owner, create: (c) => c.resolve(cls) });
        }),
      method: (name: string, run: (params: never, ctx: never) => unknown, options: MethodOptions = {}) =>
        wrap(() => this.router.add({ meta: { ...options, name }, owner, create: () => ({ handle: run }) })),
      tool: (def) => wrap(() => this.tools.add(def, owner)),
      agentTool: (tool) => wrap(() => this.container.resolve(AgentToolRegistry).add(tool, owner)),
      elicitation: (kind, provider) =>
        wrap(() => {
          const existing = this.elicitations.get(kind);
          if (existing) {
            throw Object.assign(new Error(`elicitation ${kind} is registered by both ${existing.owner} and ${owner}`), {
              code: 'AW_ELICITATION_DUPLICATE',
            });
          }
          this.elicitations.set(kind, { provider: provider, owner });
        }),
      elicitationFor: (kind: string) => this.elicitation(kind),
      modelProvider: (id, factory) => wrap(() => this.container.resolve(ModelProviderRegistry).add(id, factory, owner)),
      provide: <T>(token: InjectionToken<T>, provider: ServiceProvider<T>) =>
        wrap(() => {
          if (this.container.isRegistered(token, true)) {
            throw Object.assign(new Error(`service ${String((token as { name?: string }).name ?? token.toString())} is already provided`), {
              code: 'AW_SERVICE_DUPLICATE',
            });
          }
          if ('useValue' in provider) this.container.register(token, { useValue: provider.useValue });
          else if ('useClass' in provider) {
            injectable()(provider.useClass);
            if (provider.singleton) this.container.registerSingleton(token, provider.useClass);
            else this.container.register(token, { useClass: provider.useClass });
          } else this.container.register(token, { useFactory: provider.useFactory });
        }),
      errors: { AgentwireError, InvalidRequestError, InvalidParamsError, InternalError, MethodNotFoundError },
      resolve: <T>(token: InjectionToken<T>) => this.container.resolve(token),
      onClose: (fn: Disposer) => {
        this.disposers.push({ owner, fn });
      },
    };
  }
}

/** Orders plugins so each comes after the plugins it depends on; refuses cycles. */
function orderByDependencies(plugins: AgentwirePlugin[], alreadyLoaded: Set<string>): AgentwirePlugin[] {
  const byName = new Map<string, AgentwirePlugin>();
  for (const p of plugins) {
    if (p && typeof p.name === 'string' && !byName.has(p.name)) byName.set(p.name, p);
  }
  // A dependency on a replaced plugin is one on its replacement.
  for (const p of plugins) {
    if (p && typeof p.replaces === 'string' && byName.get(p.name) === p && !byName.has(p.replaces)) byName.set(p.replaces, p);
  }
  const out: AgentwirePlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: AgentwirePlugin) => {
    const mark = state.get(p.name);
    if (mark === 'done') return;
    if (mark === 'visiting') throw new PluginError('AW_PLUGIN_CYCLE', p.name, `plugin ${p.name} is part of a dependency cycle`);
    state.set(p.name, 'visiting');
    for (const dep of p.dependsOn ?? []) {
      const target = byName.get(dep);
      if (target) visit(target);
      else if (!alreadyLoaded.has(dep)) throw new PluginError('AW_PLUGIN_DEPENDENCY', p.name, `plugin ${p.name} needs plugin ${dep}, which is not loaded`);
    }
    state.set(p.name, 'done');
    out.push(p);
  };
  // Keep duplicates in the list so register() reports them.
  for (const p of plugins) {
    if (p && typeof p.name === 'string' && byName.get(p.name) === p) visit(p);
    else out.push(p);
  }
  return out;
}
