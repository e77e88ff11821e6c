import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AgentwireConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-file';
import { checkStartupConfig, ConfigDerivationError, deriveSettings, getConfigTomlView, type ConversationParams } from '../../src/config/derive-settings';
import { BUILT_IN_INSTRUCTIONS } from '../../src/config/instructions';
import { TempHome } from '../support/temp-home';

describe('deriveSettings (CONFIG.md §1)', () => {
  let home: TempHome;
  afterEach(() => home.remove());

  /** Loads a home with this config.toml and derives one conversation's settings. */
  function derive(toml: string, params: ConversationParams = {}, cliOverrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
    home = new TempHome({ config: toml });
    return deriveSettings(AgentwireConfig.load({ home: home.path, cliOverrides }), params, env);
  }

  const PROFILES = 'profile = "p"\n[profiles.p]\nmodel = "p-model"\n[profiles.q]\nmodel = "q-model"\n';

  it('uses the built-in defaults', () => {
    const s = derive('');
    expect(s).to.deep.include({
      model: 'gpt-5',
      cwd: process.cwd(),
      approvalPolicy: 'on-request',
      sandboxPolicy: { mode: 'read-only' },
      baseInstructions: BUILT_IN_INSTRUCTIONS,
      includePlanTool: false,
      includeApplyPatchTool: false,
      reasoningEffort: 'medium',
      reasoningSummary: 'auto',
      hideAgentReasoning: false,
      showRawAgentReasoning: false,
      modelContextWindow: 400000,
      disableResponseStorage: false,
      shellEnvironmentPolicy: { inherit: 'all', ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] },
    });
    expect(s.provider.id).to.equal('openai');
    expect(s).to.not.have.any.keys('verbosity', 'notify', 'approvalTimeoutMs', 'profile');
  });

  it('lets the profile beat the config map for model', () => {
    const s = derive(PROFILES, { config: { model: 'x' } });
    expect(s.model).to.equal('p-model');
    expect(s.profile).to.equal('p');
  });

  it('lets the config map select the profile, or change one', () => {
    expect(derive(PROFILES, { config: { profile: 'q' } }).model).to.equal('q-model');
    home.remove();
    expect(derive(PROFILES, { config: { 'profiles.p.model': 'x' } }).model).to.equal('x');
  });

  it('takes the profile param over the profile key', () => {
    expect(derive(PROFILES, { profile: 'q', config: { profile: 'p' } }).model).to.equal('q-model');
  });

  it('orders the file, -c and the config map: map over -c over file', () => {
    const toml = 'model = "file-model"\napproval_policy = "untrusted"\n';
    expect(derive(toml).model).to.equal('file-model');
    home.remove();
    expect(derive(toml, {}, { model: 'cli-model' }).model).to.equal('cli-model');
    home.remove();
    const s = derive(toml, { config: { model: 'map-model' } }, { model: 'cli-model', approval_policy: 'never' });
    expect(s.model).to.equal('map-model');
    expect(s.approvalPolicy).to.equal('never');
  });

  it('lets -c select a profile and change a profile key, still below the profile itself', () => {
    const s = derive(PROFILES, { config: { model: 'map-model' } }, { profile: 'q', 'profiles.q.model': 'cli-q' });
    expect(s.model).to.equal('cli-q');
  });

  it('lets the typed params win over everything', () => {
    const toml = `${PROFILES}`.replace('model = "p-model"', 'model = "p-model"\napproval_policy = "never"');
    const s = derive(
      toml,
      {
        model: 'typed',
        approvalPolicy: 'untrusted',
        sandbox: 'danger-full-access',
        config: { model: 'map', sandbox_mode: 'workspace-write', approval_policy: 'on-failure' },
      },
      { model: 'cli' },
    );
    expect(s).to.deep.include({ model: 'typed', approvalPolicy: 'untrusted', sandboxPolicy: { mode: 'danger-full-access' } });
  });

  it('takes the §2.1 keys from a profile', () => {
    const s = derive(
      'profile = "p"\nmodel_reasoning_effort = "low"\n[profiles.p]\nmodel_provider = "oss"\napproval_policy = "never"\n' +
        'model_reasoning_effort = "high"\nmodel_reasoning_summary = "detailed"\nmodel_verbosity = "low"\ndisable_response_storage = true\n',
    );
    expect(s.provider.id).to.equal('oss');
    expect(s).to.deep.include({
      approvalPolicy: 'never',
      reasoningEffort: 'high',
      reasoningSummary: 'detailed',
      verbosity: 'low',
      disableResponseStorage: true,
    });
  });

  it('ignores sandbox_mode in a profile, but takes it from the config map', () => {
    const toml = 'profile = "p"\nsandbox_mode = "workspace-write"\n[profiles.p]\nsandbox_mode = "danger-full-access"\n';
    expect(derive(toml).sandboxPolicy.mode).to.equal('workspace-write');
    home.remove();
    expect(derive('', { config: { sandbox_mode: 'danger-full-access' } }).sandboxPolicy).to.deep.equal({ mode: 'danger-full-access' });
  });

  it('names an unknown profile, from the param or from the tree', () => {
    expect(() => derive(PROFILES, { profile: 'nope' }))
      .to.throw(ConfigDerivationError)
      .with.property('message', 'config profile `nope` not found');
    home.remove();
    expect(() => derive('profile = "gone"\n', {}, {}, {})).to.throw(ConfigError, 'config profile `gone` not found');
    home.remove();
    expect(() => derive('', { config: { profile: 'toString' } })).to.throw('config profile `toString` not found');
  });

  it('names a bad enum value and its key wherever it comes from', () => {
    expect(() => derive('', { config: { approval_policy: 'bogus' } })).to.throw(
      ConfigDerivationError,
      'invalid value for `approval_policy`: expected one of untrusted, on-failure, on-request, never (got "bogus")',
    );
    home.remove();
    expect(() => derive('', { config: { 'profiles.p.model_reasoning_effort': 'max' } })).to.throw(
      /`profiles`: `p\.model_reasoning_effort`: expected one of minimal, low, medium, high \(got "max"\)/,
    );
    home.remove();
    expect(() => derive('', { config: { model_verbosity: 'loud' } })).to.throw(/`model_verbosity`.*"loud"/);
    home.remove();
    expect(() => derive('', { config: { 'shell_environment_policy.inherit': 'some' } })).to.throw(
      /`shell_environment_policy`: `inherit`: expected one of all, core, none \(got "some"\)/,
    );
  });

  it('re-reads config.toml for every conversation', () => {
    home = new TempHome({ config: 'model = "first"\n' });
    const base = AgentwireConfig.load({ home: home.path });
    expect(deriveSettings(base, {}, {}).model).to.equal('first');
    home.write('config.toml', 'model = "second"\n');
    expect(deriveSettings(base, {}, {}).model).to.equal('second');
    home.write('config.toml', 'approval_policy = "bogus"\n');
    expect(() => deriveSettings(base, {}, {})).to.throw(ConfigDerivationError, /approval_policy.*bogus/);
    home.write('config.toml', 'model = \n');
    expect(() => deriveSettings(base, {}, {})).to.throw(ConfigDerivationError, /failed to parse .*config\.toml: line 1/);
  });

  it('uses the in-memory tree when there is no config.toml', () => {
    home = new TempHome();
    const base = AgentwireConfig.fromTree(join(home.path, 'no-such-home'), { model: 'mem', approval_policy: 'never' });
    expect(deriveSettings(base, {}, {})).to.deep.include({ model: 'mem', approvalPolicy: 'never' });
  });

  it('removes a key when the config map gives null', () => {
    expect(derive('model = "file"\n', { config: { model: null } }).model).to.equal('gpt-5');
  });

  it('refuses config map keys that could reach the prototype', () => {
    expect(() => derive('', { config: { '__proto__.model': 'x' } })).to.throw(ConfigDerivationError, /invalid config key/);
  });

  describe('providers', () => {
    it('selects a user provider and maps its fields', () => {
      const s = derive('model_provider = "mock"\n[model_providers.mock]\nname = "Mock"\nbase_url = "http://127.0.0.1:9/v1/"\n');
      expect(s.provider).to.include({ id: 'mock', name: 'Mock', baseUrl: 'http://127.0.0.1:9/v1', wireApi: 'chat' });
    });

    it('keeps the built-in openai even when model_providers.openai exists', () => {
      const s = derive(
        '[model_providers.openai]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\n',
        {},
        {},
        {
          OPENAI_BASE_URL: 'http://mock:1/v1',
        },
      );
      expect(s.provider).to.include({ id: 'openai', baseUrl: 'http://mock:1/v1', wireApi: 'responses' });
    });

    it('names an unknown provider', () => {
      expect(() => derive('', { config: { model_provider: 'nope' } })).to.throw(ConfigDerivationError, 'model provider `nope` not found');
    });
  });

  it('builds the workspace-write policy from [sandbox_workspace_write]', () => {
    const s = derive('sandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nwritable_roots = ["/data"]\nnetwork_access = true\n');
    expect(s.sandboxPolicy).to.deep.equal({
      mode: 'workspace-write',
      writable_roots: ['/data'],
      network_access: true,
      exclude_tmpdir_env_var: false,
      exclude_slash_tmp: false,
    });
    home.remove();
    expect(derive('', { sandbox: 'workspace-write' }).sandboxPolicy).to.deep.equal({
      mode: 'workspace-write',
      writable_roots: [],
      network_access: false,
      exclude_tmpdir_env_var: false,
      exclude_slash_tmp: false,
    });
  });

  it('reads the other keys', () => {
    const s = derive(
      'model = "o3"\nhide_agent_reasoning = true\nshow_raw_agent_reasoning = true\nnotify = ["notify-send", "x"]\n' +
        'approval_timeout_ms = 5000\n[shell_environment_policy]\ninherit = "core"\nset = { A = "1" }\ninclude_only = ["A"]\n',
      { includePlanTool: true, includeApplyPatchTool: true },
    );
    expect(s).to.deep.include({
      model: 'o3',
      modelContextWindow: 200000,
      hideAgentReasoning: true,
      showRawAgentReasoning: true,
      notify: ['notify-send', 'x'],
      approvalTimeoutMs: 5000,
      includePlanTool: true,
      includeApplyPatchTool: true,
      shellEnvironmentPolicy: { inherit: 'core', ignoreDefaultExcludes: false, exclude: [], set: { A: '1' }, includeOnly: ['A'] },
    });
  });

  it('reports model_context_window as set, and null for unknown models', () => {
    expect(derive('model_context_window = 12345\n').modelContextWindow).to.equal(12345);
    home.remove();
    expect(derive('model = "mock-model"\n').modelContextWindow).to.equal(null);
  });

  it('resolves cwd against the process cwd without requiring it to exist', () => {
    expect(derive('', { cwd: 'no/such/dir' }).cwd).to.equal(join(process.cwd(), 'no', 'such', 'dir'));
    home.remove();
    expect(derive('', { cwd: '/abs/x' }).cwd).to.equal('/abs/x');
  });

  it('takes baseInstructions over experimental_instructions_file over the built-in prompt', () => {
    home = new TempHome();
    const prompt = home.write('prompt.md', '\nFROM FILE\n');
    home.write('config.toml', `experimental_instructions_file = ${JSON.stringify(prompt)}\n`);
    const base = AgentwireConfig.load({ home: home.path });
    expect(deriveSettings(base, {}, {}).baseInstructions).to.equal('FROM FILE');
    expect(deriveSettings(base, { baseInstructions: 'TYPED' }, {}).baseInstructions).to.equal('TYPED');
    home.write('config.toml', 'experimental_instructions_file = "/no/such/prompt.md"\n');
    expect(() => deriveSettings(base, {}, {})).to.throw(/failed to read experimental instructions file \/no\/such\/prompt\.md/);
  });

  it('reads AGENTS.md for the conversation cwd with project_doc_max_bytes', () => {
    home = new TempHome();
    home.write('AGENTS.md', 'HOME\n');
    const repo = join(home.path, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    home.write('repo/AGENTS.md', 'ROOT-DOC\n');
    const base = AgentwireConfig.load({ home: home.path });
    expect(deriveSettings(base, { cwd: repo }, {}).userInstructions).to.equal('HOME\n\n--- project-doc ---\n\nROOT-DOC\n');
    expect(deriveSettings(base, { cwd: repo, config: { project_doc_max_bytes: 4 } }, {}).userInstructions).to.equal('HOME\n\n--- project-doc ---\n\nROOT');
    expect(deriveSettings(base, { cwd: repo, config: { project_doc_max_bytes: 0 } }, {}).userInstructions).to.equal('HOME');
    home.write('AGENTS.md', '');
    expect(deriveSettings(base, { cwd: join(home.path, 'elsewhere') }, {})).to.not.have.property('userInstructions');
  });
});

describe('checkStartupConfig', () => {
  it('accepts defaults and a known provider', () => {
    expect(() => checkStartupConfig({}, {})).to.not.throw();
    expect(() => checkStartupConfig({ model_provider: 'm', model_providers: { m: { base_url: 'http://x' } } }, {})).to.not.throw();
  });

  it('refuses what makes 0.29 exit at start-up', () => {
    expect(() => checkStartupConfig({ model_provider: 'nope' }, {})).to.throw(ConfigError, 'model provider `nope` not found');
    expect(() => checkStartupConfig({ profile: 'p', profiles: { p: { model_provider: 'nope' } } }, {})).to.throw('model provider `nope` not found');
    expect(() => checkStartupConfig({ profile: 'missing' }, {})).to.throw('config profile `missing` not found');
    expect(() => checkStartupConfig({ experimental_instructions_file: '/no/such/file' }, {})).to.throw(/^failed to read experimental instructions file \/no\/such\/file/);
    expect(() => checkStartupConfig({ model_reasoning_effort: 'max' }, {})).to.throw(/model_reasoning_effort/);
    expect(() => checkStartupConfig({ model_reasoning_summary: 'long' }, {})).to.throw(/model_reasoning_summary/);
    expect(() => checkStartupConfig({ model_verbosity: 'loud' }, {})).to.throw(/model_verbosity/);
    expect(() => checkStartupConfig({ model_providers: { m: { wire_api: 'grpc' } } }, {})).to.throw(/`m\.wire_api`/);
  });
});

describe('getConfigTomlView (WIRE.md §5.12)', () => {
  it('gives the camelCase subset of the example home, in order', () => {
    const tree = {
      model: 'ignored',
      approval_policy: 'untrusted',
      sandbox_mode: 'danger-full-access',
      model_reasoning_effort: 'high',
      profile: 'fast',
      profiles: { fast: { model: 'fast-model', approval_policy: 'never', model_reasoning_effort: 'low', model_provider: 'x' } },
    };
    expect(JSON.stringify(getConfigTomlView(tree))).to.equal(
      '{"approvalPolicy":"untrusted","sandboxMode":"danger-full-access","modelReasoningEffort":"high","profile":"fast",' +
        '"profiles":{"fast":{"model":"fast-model","approvalPolicy":"never","modelReasoningEffort":"low"}}}',
    );
  });

  it('omits unset members and always has profiles', () => {
    expect(getConfigTomlView({})).to.deep.equal({ profiles: {} });
    expect(getConfigTomlView({ profiles: { a: {} }, sandbox_mode: 'read-only' })).to.deep.equal({
      sandboxMode: 'read-only',
      profiles: { a: {} },
    });
  });
});
