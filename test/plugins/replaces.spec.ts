import { expect } from 'chai';
import type { InjectionToken } from 'tsyringe';
import { ModelProviderRegistry } from '../../src/model/model-providers';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import type { AgentwirePlugin, PluginContext } from '../../src/plugins/plugin';
import { PluginError, PluginHost } from '../../src/plugins/plugin-host';
import * as publicTokens from '../../src/tokens';
import { createTestContainer } from '../support/test-container';

const noop = (name: string, extra: Partial<AgentwirePlugin> = {}): AgentwirePlugin => ({ name, register() {}, ...extra });

function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('PluginHost: replaces', () => {
  it('registers the replacement instead, and what depends on the replaced plugin comes after it', async () => {
    const host = createTestContainer().resolve(PluginHost);
    const order: string[] = [];
    const track = (name: string, extra: Partial<AgentwirePlugin> = {}) => noop(name, { register: () => void order.push(name), ...extra });
    await host.registerAll([track('dependent', { dependsOn: ['original'] }), track('original'), track('replacement', { replaces: 'original' })]);
    expect(order).to.deep.equal(['replacement', 'dependent']);
    expect(host.has('original')).to.equal(true);
  });

  it('keeps the duplicate and dependency checks', async () => {
    const cases: Array<[AgentwirePlugin[], string]> = [
      [[noop('a'), noop('b', { replaces: 'a' }), noop('c', { replaces: 'a' })], 'AW_PLUGIN_REPLACE_DUPLICATE'],
      [[noop('b', { replaces: 'missing' })], 'AW_PLUGIN_DEPENDENCY'],
      [[noop('a'), noop('b', { replaces: 'a' }), noop('b')], 'AW_PLUGIN_DUPLICATE'],
      [[noop('a'), noop('b', { replaces: 'a', dependsOn: ['zz'] })], 'AW_PLUGIN_DEPENDENCY'],
      [[noop('a', { replaces: 'a' })], 'AW_PLUGIN_INVALID'],
      [[noop('a'), noop('b', { replaces: 'a' }), noop('c', { replaces: 'b' })], 'AW_PLUGIN_INVALID'],
      // The replacement's own claims are checked as any plugin's.
      [
        [
          noop('a'),
          noop('b', { replaces: 'a', register: (ctx) => ctx.elicitation('k', { request: async () => 'x' }) }),
          noop('c', { register: (ctx) => ctx.elicitation('k', { request: async () => 'y' }) }),
        ],
        'AW_ELICITATION_DUPLICATE',
      ],
    ];
    for (const [plugins, code] of cases) {
      const err = await failure(createTestContainer().resolve(PluginHost).registerAll(plugins));
      expect(err, code).to.be.instanceOf(PluginError).with.property('code', code);
    }
  });

  it('refuses to replace a plugin that is already registered', async () => {
    const host = createTestContainer().resolve(PluginHost);
    await host.registerAll([noop('a')]);
    const err = await failure(host.registerAll([noop('b', { replaces: 'a' })]));
    expect(err).to.be.instanceOf(PluginError);
  });

  it('lets a plugin take the place of a built-in, which then claims nothing', async () => {
    const host = createTestContainer().resolve(PluginHost);
    const mine = { request: async () => ({ decision: 'approved' }) };
    await host.registerAll([...BUILTIN_PLUGINS, noop('mine', { replaces: 'agentwire:exec-approval', register: (ctx) => ctx.elicitation('exec', mine) })]);
    expect(host.elicitation('exec')).to.equal(mine);
    expect(host.has('agentwire:shell')).to.equal(true);
  });
});

describe('PluginHost: model providers', () => {
  it('builds a contributed provider on its first use, once', async () => {
    const c = createTestContainer();
    let built = 0;
    const provider = { stream: async function* () {} };
    await c.resolve(PluginHost).registerAll([noop('m', { register: (ctx) => ctx.modelProvider('local', () => (built++, provider)) })]);
    expect(built).to.equal(0);
    const registry = c.resolve(ModelProviderRegistry);
    expect(registry.get('local')).to.equal(provider);
    expect(registry.get('local')).to.equal(provider);
    expect(built).to.equal(1);
    expect(registry.get('other')).to.equal(undefined);
  });

  it('refuses two providers of one id, naming both plugins', async () => {
    const factory = () => ({ stream: async function* () {} });
    const err = await failure(
      createTestContainer()
        .resolve(PluginHost)
        .registerAll([noop('one', { register: (ctx) => ctx.modelProvider('x', factory) }), noop('two', { register: (ctx) => ctx.modelProvider('x', factory) })]),
    );
    expect(err).to.be.instanceOf(PluginError).with.property('code', 'AW_MODEL_PROVIDER_DUPLICATE');
    expect((err as Error).message).to.equal('model provider x is registered by both one and two');
  });

  it('the offline demo model is a built-in plugin contribution', async () => {
    const c = createTestContainer();
    await c.resolve(PluginHost).registerAll([...BUILTIN_PLUGINS]);
    expect(c.resolve(ModelProviderRegistry).get('agentwire-demo')).to.have.property('stream');
  });
});

describe('built-in plugins use the public API', () => {
  it('resolve nothing but the exported tokens', async () => {
    const host = createTestContainer().resolve(PluginHost);
    const exported = new Set<unknown>(Object.values(publicTokens));
    const resolved: unknown[] = [];
    const contextFor = (name: string) => (host as unknown as { contextFor(n: string): PluginContext }).contextFor(name);
    for (const plugin of BUILTIN_PLUGINS) {
      const ctx = contextFor(plugin.name);
      const watched: PluginContext = {
        ...ctx,
        resolve: <T>(token: InjectionToken<T>): T => {
          resolved.push(token);
          return ctx.resolve(token);
        },
      };
      await plugin.register(watched);
    }
    expect(resolved).to.not.be.empty;
    for (const token of resolved) expect(exported.has(token), `resolved ${String((token as { name?: string }).name ?? token)}`).to.equal(true);
  });
});
