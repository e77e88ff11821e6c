import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentwireConfig } from '../../src/config/config';
import { ConfigDerivationError, deriveResumedSettings, type RecordedSettings } from '../../src/config/derive-settings';
import { BUILT_IN_INSTRUCTIONS } from '../../src/config/instructions';
import { RolloutRecorder } from '../../src/conversations/rollout-recorder';
import { TempHome } from '../support/temp-home';

const TOML = [
  'model = "config-model"',
  'model_provider = "mock"',
  'approval_policy = "on-request"',
  'sandbox_mode = "read-only"',
  '[model_providers.mock]',
  'name = "mock"',
  'base_url = "http://127.0.0.1:1/v1"',
  'wire_api = "chat"',
  '[model_providers.other]',
  'name = "other"',
  'base_url = "http://127.0.0.1:2/v1"',
  '[profiles.fast]',
  'model = "fast-model"',
  'approval_policy = "never"',
  '',
].join('\n');

const RECORDED: RecordedSettings = {
  model: 'recorded-model',
  modelProvider: 'other',
  cwd: '/recorded/cwd',
  approvalPolicy: 'untrusted',
  sandboxMode: 'workspace-write',
  sandboxPolicy: { mode: 'workspace-write', writable_roots: ['/extra'], network_access: true, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
  baseInstructions: 'custom prompt',
  includePlanTool: true,
  reasoningEffort: 'high',
  reasoningSummary: 'none',
  userInstructions: 'recorded instructions',
};

describe('deriveResumedSettings', () => {
  let home: TempHome;
  let config: AgentwireConfig;
  beforeEach(() => {
    home = new TempHome({ config: TOML });
    config = AgentwireConfig.load({ home: home.path });
  });
  afterEach(() => home.remove());

  it('keeps every recorded setting that grants no permission when there are no overrides, and policies only as narrowing', () => {
    const s = deriveResumedSettings(config, RECORDED, {}, {});
    expect(s).to.deep.include({
      model: 'recorded-model',
      cwd: '/recorded/cwd',
      // untrusted is stricter than the configured on-request; read-only (config) narrower than the recorded workspace-write.
      approvalPolicy: 'untrusted',
      sandboxPolicy: { mode: 'read-only' },
      baseInstructions: 'custom prompt',
      includePlanTool: true,
      reasoningEffort: 'high',
      reasoningSummary: 'none',
      userInstructions: 'recorded instructions',
    });
    expect(s.provider.id).to.equal('other');
  });

  it('lets overrides win, by typed param, by config key and by profile', () => {
    const typed = deriveResumedSettings(config, RECORDED, { model: 'm2', cwd: '/new', approvalPolicy: 'never', sandbox: 'read-only' }, {});
    expect(typed).to.deep.include({ model: 'm2', cwd: '/new', approvalPolicy: 'never', sandboxPolicy: { mode: 'read-only' } });
    const byConfig = deriveResumedSettings(config, RECORDED, { config: { model: 'from-map', model_provider: 'mock', model_reasoning_effort: 'low' } }, {});
    expect(byConfig).to.deep.include({ model: 'from-map', reasoningEffort: 'low' });
    expect(byConfig.provider.id).to.equal('mock');
    const byProfile = deriveResumedSettings(config, RECORDED, { profile: 'fast' }, {});
    expect(byProfile).to.deep.include({ model: 'fast-model', approvalPolicy: 'never', cwd: '/recorded/cwd', profile: 'fast' });
  });

  it('takes the model and provider from the config for a codex 0.29 rollout, which records neither', () => {
    const s = deriveResumedSettings(config, { cwd: '/w', approvalPolicy: 'never', sandboxMode: 'danger-full-access', userInstructions: null }, {}, {});
    expect(s).to.deep.include({ model: 'config-model', cwd: '/w', approvalPolicy: 'on-request', sandboxPolicy: { mode: 'read-only' }, baseInstructions: BUILT_IN_INSTRUCTIONS });
    expect(s.provider.id).to.equal('mock');
  });

  it('never widens the policies of config.toml: a planted never / writable_roots ["/"] changes nothing (issue 18 finding 4)', () => {
    writeFileSync(join(home.path, 'config.toml'), TOML.replace('approval_policy = "on-request"', 'approval_policy = "untrusted"'));
    const planted: RecordedSettings = {
      approvalPolicy: 'never',
      sandboxMode: 'workspace-write',
      sandboxPolicy: { mode: 'workspace-write', writable_roots: ['/'], network_access: true, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
    };
    expect(deriveResumedSettings(config, planted, {}, {})).to.deep.include({ approvalPolicy: 'untrusted', sandboxPolicy: { mode: 'read-only' } });
    // Garbage values are ignored, not trusted.
    expect(deriveResumedSettings(config, { approvalPolicy: 'always' as never, sandboxMode: 'all' as never }, {}, {})).to.deep.include({
      approvalPolicy: 'untrusted',
      sandboxPolicy: { mode: 'read-only' },
    });
  });

  it('lets a recorded stricter policy narrow the configured one', () => {
    writeFileSync(
      join(home.path, 'config.toml'),
      TOML.replace('sandbox_mode = "read-only"', 'sandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nwritable_roots = ["/a", "/b"]\nnetwork_access = true').replace(
        'approval_policy = "on-request"',
        'approval_policy = "never"',
      ),
    );
    expect(deriveResumedSettings(config, { approvalPolicy: 'on-failure', sandboxMode: 'read-only', sandboxPolicy: { mode: 'read-only' } }, {}, {})).to.deep.include({
      approvalPolicy: 'on-failure',
      sandboxPolicy: { mode: 'read-only' },
    });
    const both = deriveResumedSettings(
      config,
      {
        sandboxMode: 'workspace-write',
        sandboxPolicy: { mode: 'workspace-write', writable_roots: ['/b', '/c'], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: true },
      },
      {},
      {},
    );
    expect(both.sandboxPolicy).to.deep.equal({ mode: 'workspace-write', writable_roots: ['/b'], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: true });
    // A codex 0.29 file records the mode only: the configured workspace-write policy stands.
    expect(deriveResumedSettings(config, { sandboxMode: 'workspace-write' }, {}, {}).sandboxPolicy).to.deep.include({ writable_roots: ['/a', '/b'], network_access: true });
    // The client's overrides decide outright (the client is trusted; the file is not).
    expect(
      deriveResumedSettings(config, { approvalPolicy: 'untrusted', sandboxMode: 'read-only' }, { approvalPolicy: 'on-request', sandbox: 'danger-full-access' }, {}),
    ).to.deep.include({
      approvalPolicy: 'on-request',
      sandboxPolicy: { mode: 'danger-full-access' },
    });
  });

  it('drops a recorded profile that config.toml no longer has, and fails on a provider it no longer has', () => {
    expect(deriveResumedSettings(config, { profile: 'gone' }, {}, {}).profile).to.equal(undefined);
    expect(deriveResumedSettings(config, { profile: 'fast' }, {}, {}).profile).to.equal('fast');
    expect(() => deriveResumedSettings(config, { modelProvider: 'vanished' }, {}, {})).to.throw(ConfigDerivationError);
  });
});

describe('RolloutRecorder.append', () => {
  let home: TempHome;
  beforeEach(() => (home = new TempHome()));
  afterEach(() => home.remove());

  it('appends without touching the first lines, starting a new line after a cut one', () => {
    const path = join(home.path, 'r.jsonl');
    writeFileSync(path, '{"id":"a","timestamp":"t","instructions":null}\n{"type":"mess');
    const recorder = RolloutRecorder.append(path, (err) => {
      throw err;
    });
    recorder.turn('0', {});
    recorder.flush();
    recorder.close();
    recorder.turn('1', {});
    recorder.flush();
    expect(readFileSync(path, 'utf8')).to.equal('{"id":"a","timestamp":"t","instructions":null}\n{"type":"mess\n{"record_type":"agentwire_turn","submission_id":"0"}\n');
  });
});
