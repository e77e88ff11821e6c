import { expect } from 'chai';
import { JsonRpcRouter } from '../../src/router/json-rpc-router';
import { PluginError, PluginHost } from '../../src/plugins/plugin-host';
import type { AgentwirePlugin } from '../../src/plugins/plugin';
import { createTestContainer } from '../support/test-container';

describe('PluginHost', () => {
  function host(): { host: PluginHost; router: JsonRpcRouter } {
    const c = createTestContainer();
    return { host: c.resolve(PluginHost), router: c.resolve(JsonRpcRouter) };
  }
  const noop = (name: string, extra: Partial<AgentwirePlugin> = {}): AgentwirePlugin => ({ name, register() {}, ...extra });

  it('registers plugins after their dependencies whatever the order given', async () => {
    const order: string[] = [];
    const { host: h } = host();
    await h.registerAll([noop('b', { dependsOn: ['a'], register: () => void order.push('b') }), noop('a', { register: () => void order.push('a') })]);
    expect(order).to.deep.equal(['a', 'b']);
  });

  it('refuses duplicates, missing dependencies and cycles with coded errors', async () => {
    const cases: Array<[AgentwirePlugin[], string]> = [
      [[noop('a'), noop('a')], 'AW_PLUGIN_DUPLICATE'],
      [[noop('a', { dependsOn: ['zz'] })], 'AW_PLUGIN_DEPENDENCY'],
      [[noop('a', { dependsOn: ['b'] }), noop('b', { dependsOn: ['a'] })], 'AW_PLUGIN_CYCLE'],
      [[{ name: 'x' } as unknown as AgentwirePlugin], 'AW_PLUGIN_INVALID'],
    ];
    for (const [plugins, code] of cases) {
      const err = await host()
        .host.registerAll(plugins)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err, code).to.be.instanceOf(PluginError).with.property('code', code);
    }
  });

  it('names the plugin and the reason when register throws', async () => {
    const err = await host()
      .host.register(
        noop('boom', {
          register: () => {
            throw new Error('kaput');
          },
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(PluginError).with.property('message', 'plugin boom failed to register: kaput');
  });

  it('refuses two claims on one method or elicitation kind, naming both', async () => {
    const { host: h } = host();
    await h.register(
      noop('first', {
        register: (ctx) => {
          ctx.method('x/y', () => 1);
          ctx.elicitation('exec', { request: async () => 'approved' });
        },
      }),
    );
    const m = await h.register(noop('second', { register: (ctx) => ctx.method('x/y', () => 2) })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(m).to.be.instanceOf(PluginError).with.property('code', 'AW_METHOD_DUPLICATE');
    expect((m as Error).message)
      .to.contain('first')
      .and.to.contain('second');
    const e = await h.register(noop('third', { register: (ctx) => ctx.elicitation('exec', { request: async () => 'denied' }) })).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(PluginError).with.property('code', 'AW_ELICITATION_DUPLICATE');
    expect(h.elicitation('exec')).to.not.equal(undefined);
  });

  it('runs close hooks newest first, and one failure does not stop the rest', async () => {
    const ran: string[] = [];
    const { host: h } = host();
    await h.register(
      noop('a', {
        register: (ctx) => {
          ctx.onClose(() => void ran.push('a1'));
          ctx.onClose(() => {
            throw new Error('x');
          });
        },
      }),
    );
    await h.register(noop('b', { register: (ctx) => ctx.onClose(async () => void ran.push('b')) }));
    await h.close();
    expect(ran).to.deep.equal(['b', 'a1']);
  });

  it('lets a plugin provide a service and another resolve it', async () => {
    const token = Symbol('svc');
    const { host: h } = host();
    await h.register(noop('provider', { register: (ctx) => ctx.provide(token, { useValue: { answer: 42 } }) }));
    let seen: unknown;
    await h.register(noop('consumer', { dependsOn: ['provider'], register: (ctx) => void (seen = ctx.resolve(token)) }));
    expect(seen).to.deep.equal({ answer: 42 });
  });
});
