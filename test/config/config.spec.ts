import { expect } from 'chai';
import { AgentwireConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-file';
import { TempHome } from '../support/temp-home';

describe('AgentwireConfig', () => {
  let home: TempHome;
  afterEach(() => home.remove());

  it('is all defaults without a config.toml', () => {
    home = new TempHome();
    const config = AgentwireConfig.load({ home: home.path });
    expect(config.tree).to.deep.equal({});
    expect(config.preferredAuthMethod).to.equal('chatgpt');
    expect(config.plugins).to.deep.equal([]);
  });

  it('reads keys and puts -c overrides on top', () => {
    home = new TempHome({ config: 'model = "a"\npreferred_auth_method = "apikey"\n[profiles.fast]\nmodel = "f"\n' });
    const config = AgentwireConfig.load({ home: home.path, cliOverrides: { model: 'b', 'profiles.fast.model': 'g' } });
    expect(config.get('model')).to.equal('b');
    expect(config.get('profiles.fast.model')).to.equal('g');
    expect(config.preferredAuthMethod).to.equal('apikey');
  });

  it('names the file, line, column and key of a TOML syntax error', () => {
    home = new TempHome({ config: 'model = "a"\n\nsandbox_mode = read-only\n' });
    expect(() => AgentwireConfig.load({ home: home.path }))
      .to.throw(ConfigError)
      .that.satisfies((e: Error) => e.message.includes(`${home.path}/config.toml`) && e.message.includes('line 3') && e.message.includes('sandbox_mode'));
  });

  it('names the file, line and key of a bad value, inside a table too', () => {
    home = new TempHome({ config: 'model = "a"\napproval_policy = "sometimes"\n' });
    expect(() => AgentwireConfig.load({ home: home.path })).to.throw(/config\.toml line 2: expected one of untrusted/);
    home.remove();
    home = new TempHome({ config: 'plugins = "x.js"\n' });
    expect(() => AgentwireConfig.load({ home: home.path })).to.throw(/`plugins` in .*line 1: expected an array of strings/);
  });

  it('says when a bad value came from a -c override', () => {
    home = new TempHome();
    expect(() => AgentwireConfig.load({ home: home.path, cliOverrides: { sandbox_mode: 'open' } })).to.throw(/a -c override/);
  });
});
