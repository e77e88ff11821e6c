import { expect } from 'chai';
import type { ShellEnvironmentPolicy } from '../../src/config/conversation-settings';
import { buildShellEnvironment, DEFAULT_SHELL_ENVIRONMENT_POLICY, globMatches } from '../../src/config/shell-environment';

const BASE = {
  HOME: '/home/u',
  PATH: '/bin',
  USER: 'u',
  LANG: 'C.UTF-8',
  TERM: 'xterm',
  API_KEY_X: '1',
  MY_SECRET_A: '2',
  FOO_TOKEN: '3',
  lower_token_v: '4',
  KEEP_ME: '5',
  PLAIN: '6',
};

function policy(p: Partial<ShellEnvironmentPolicy> = {}): ShellEnvironmentPolicy {
  return { ...DEFAULT_SHELL_ENVIRONMENT_POLICY, ...p };
}

describe('shell_environment_policy (CONFIG.md §2.2)', () => {
  const off = { networkDisabled: false };

  it('inherits everything by default but drops names with KEY, SECRET or TOKEN in any case', () => {
    const env = buildShellEnvironment(policy(), BASE, off);
    expect(env).to.deep.equal({ HOME: '/home/u', PATH: '/bin', USER: 'u', LANG: 'C.UTF-8', TERM: 'xterm', KEEP_ME: '5', PLAIN: '6' });
  });

  it('keeps credentials with ignore_default_excludes', () => {
    expect(buildShellEnvironment(policy({ ignoreDefaultExcludes: true }), BASE, off)).to.deep.equal(BASE);
  });

  it('keeps only the core variables that are set with inherit = core, and nothing with none', () => {
    const base = { ...BASE, SHELL: '/bin/sh', TMPDIR: '/t', LOGNAME: 'u' };
    expect(buildShellEnvironment(policy({ inherit: 'core' }), base, off)).to.deep.equal({
      HOME: '/home/u',
      PATH: '/bin',
      USER: 'u',
      SHELL: '/bin/sh',
      TMPDIR: '/t',
      LOGNAME: 'u',
    });
    expect(buildShellEnvironment(policy({ inherit: 'none' }), base, off)).to.deep.equal({});
  });

  it('applies exclude globs without regard to case', () => {
    const env = buildShellEnvironment(policy({ exclude: ['keep_me', 'P?AI*'] }), BASE, off);
    expect(env).to.not.have.any.keys('KEEP_ME', 'PLAIN');
    expect(env).to.include({ PATH: '/bin' });
  });

  it('lets set values survive exclude and the default excludes', () => {
    const env = buildShellEnvironment(policy({ exclude: ['FORCED'], set: { FORCED: 'yes', NEW_TOKEN: 't', PATH: '/opt/bin' } }), BASE, off);
    expect(env).to.include({ FORCED: 'yes', NEW_TOKEN: 't', PATH: '/opt/bin' });
  });

  it('applies include_only last, to set names too, without bringing back excluded ones', () => {
    const env = buildShellEnvironment(policy({ set: { MINE: 'm', OTHER: 'o' }, includeOnly: ['path', 'MIN?', '*_TOKEN'] }), BASE, off);
    expect(env).to.deep.equal({ PATH: '/bin', MINE: 'm' });
  });

  it('adds CODEX_SANDBOX_NETWORK_DISABLED=1 when the network is restricted', () => {
    const env = buildShellEnvironment(policy({ inherit: 'none', includeOnly: ['NOTHING'] }), BASE, { networkDisabled: true });
    expect(env).to.deep.equal({ CODEX_SANDBOX_NETWORK_DISABLED: '1' });
    expect(buildShellEnvironment(policy({ inherit: 'none' }), BASE, off)).to.deep.equal({});
  });

  it('treats a variable called __proto__ as a plain name', () => {
    const base = JSON.parse('{"__proto__":"x","A":"1"}') as NodeJS.ProcessEnv;
    const env = buildShellEnvironment(policy(), base, off);
    expect(Object.keys(env).sort()).to.deep.equal(['A', '__proto__']);
    expect(Object.getPrototypeOf(env)).to.equal(Object.prototype);
  });

  describe('globMatches', () => {
    it('matches * and ? case-insensitively, everything else literally', () => {
      expect(globMatches('*KEY*', 'api_key_x')).to.equal(true);
      expect(globMatches('A?C', 'abc')).to.equal(true);
      expect(globMatches('A?C', 'ac')).to.equal(false);
      expect(globMatches('a*', 'a*b')).to.equal(true);
      expect(globMatches('a.b', 'axb')).to.equal(false);
      expect(globMatches('*', '')).to.equal(true);
      expect(globMatches('', 'x')).to.equal(false);
      expect(globMatches('*a*a*a*a*a*a*b', 'a'.repeat(60))).to.equal(false);
    });
  });
});
