import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxProbe } from '../../src/exec';
import { filterOverrides, SafeGit, safeGitArgs, safeGitEnv } from '../../src/git/safe-git';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe("safe-git: the options of agentwire's own git", () => {
  it('puts --no-pager and the neutralising -c options before every subcommand', () => {
    const args = safeGitArgs(['status']);
    expect(args[0]).to.equal('--no-pager');
    const configs = args.filter((_, i) => args[i - 1] === '-c');
    expect(configs).to.include.members(['core.fsmonitor=false', 'core.hooksPath=/dev/null', 'core.pager=cat', 'protocol.allow=never', 'credential.helper=']);
    expect(args.slice(-1)).to.deep.equal(['status']);
  });

  it('adds --no-ext-diff --no-textconv right after diff', () => {
    const args = safeGitArgs(['diff', '--no-index', '--', 'a', 'b']);
    expect(args.slice(args.indexOf('diff'))).to.deep.equal(['diff', '--no-ext-diff', '--no-textconv', '--no-index', '--', 'a', 'b']);
  });

  it('drops program-naming variables and sets no system config, no pager, no optional locks', () => {
    const env = safeGitEnv([['filter.x.clean', '']], {
      PATH: '/bin',
      GIT_EXTERNAL_DIFF: 'evil',
      GIT_SSH_COMMAND: 'evil',
      GIT_CONFIG_PARAMETERS: "'core.fsmonitor=evil'",
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_2: 'core.fsmonitor',
      GIT_CONFIG_VALUE_2: 'evil',
    });
    expect(env).to.deep.equal({
      PATH: '/bin',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PAGER: 'cat',
      PAGER: 'cat',
      GIT_TERMINAL_PROMPT: '0',
      GIT_NO_LAZY_FETCH: '1',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'filter.x.clean',
      GIT_CONFIG_VALUE_0: '',
    });
  });
});

describe('safe-git against a real repository', function () {
  let dir: string;

  before(function () {
    if (!hasGit()) {
      console.log('      skipped: git is not installed');
      this.skip();
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-safe-git-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });

  it('finds every filter driver the config names, dotted names included', async () => {
    git('init', '-q');
    git('config', 'filter.plain.clean', 'cat');
    git('config', 'filter.with.dot.smudge', 'cat');
    git('config', 'filter.plain.required', 'true');
    const overrides = await filterOverrides(dir, new AbortController().signal);
    const keys = overrides.map(([k]) => k);
    expect(keys).to.include.members([
      'filter.plain.clean',
      'filter.plain.process',
      'filter.plain.smudge',
      'filter.plain.required',
      'filter.with.dot.clean',
      'filter.with.dot.process',
    ]);
    expect(overrides.find(([k]) => k === 'filter.plain.required')![1]).to.equal('false');
    expect(overrides.filter(([k]) => k.endsWith('.clean')).every(([, v]) => v === '')).to.equal(true);
  });

  it("keeps filter drivers defined only in the user's global config, switches off one the repository touches", async () => {
    git('init', '-q');
    const globalFile = join(dir, 'global.gitconfig');
    writeFileSync(globalFile, '[filter "lfs"]\n\tclean = git-lfs clean -- %f\n[filter "shared"]\n\tclean = cat\n');
    git('config', 'filter.shared.clean', 'evil');
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalFile;
    try {
      const keys = (await filterOverrides(dir, new AbortController().signal)).map(([k]) => k);
      expect(keys).to.include('filter.shared.clean');
      expect(keys.filter((k) => k.startsWith('filter.lfs.'))).to.deep.equal([]);
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
  });

  for (const sandboxed of [false, true]) {
    it(`a diff of the work tree runs no clean filter and no fsmonitor (${sandboxed ? 'in the sandbox' : 'without a sandbox'})`, async function () {
      const probe = new SandboxProbe();
      if (sandboxed && !(await probe.probe()).available) {
        console.log('      skipped: bubblewrap cannot create a sandbox here');
        this.skip();
      }
      git('init', '-q');
      writeFileSync(join(dir, '.gitattributes'), '* filter=evil\n');
      writeFileSync(join(dir, 'a'), 'one\n');
      git('add', '.');
      git('commit', '-qm', 'first');
      const marker = join(dir, '..', `${dir.split('/').pop()}-marker`);
      git('config', 'filter.evil.clean', `touch ${marker}; cat`);
      git('config', 'core.fsmonitor', `touch ${marker}; false`);
      writeFileSync(join(dir, 'a'), 'one\ntwo\n');
      try {
        const result = await new SafeGit({ signal: new AbortController().signal, probe: sandboxed ? probe : undefined }).run(['diff', 'HEAD'], dir);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.contain('+two');
        expect(existsSync(marker)).to.equal(false);
      } finally {
        rmSync(marker, { force: true });
      }
    });
  }
});
