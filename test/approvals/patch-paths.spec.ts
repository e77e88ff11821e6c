import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decidePatch, PATCH_REJECTED_GIT_DIR } from '../../src/approvals/decision';
import { isInGitDir, realWritableRoots } from '../../src/approvals/writable-roots';

// issue 18, findings 1 and 2: the inputs of the patch decision.
describe('realWritableRoots', () => {
  let base: string;
  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'agentwire-roots-')));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('resolves a cwd reached through a link', async () => {
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'via'));
    const roots = await realWritableRoots({ mode: 'workspace-write', exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, join(base, 'via'));
    expect(roots).to.deep.equal([join(base, 'real')]);
  });

  it('drops a root inside another root that a link sends elsewhere (the model could have made the link)', async () => {
    mkdirSync(join(base, 'proj'));
    symlinkSync('/', join(base, 'proj', 'extra'));
    const roots = await realWritableRoots({ mode: 'workspace-write', writable_roots: ['extra'], exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, join(base, 'proj'));
    expect(roots).to.deep.equal([join(base, 'proj')]);
  });

  it('is all for danger-full-access and none for read-only', async () => {
    expect(await realWritableRoots({ mode: 'danger-full-access' }, base)).to.equal('all');
    expect(await realWritableRoots({ mode: 'read-only' }, base)).to.deep.equal([]);
  });
});

describe('isInGitDir', () => {
  it('finds .git anywhere in the path, in any case', () => {
    expect(isInGitDir('/w/.git/config')).to.equal(true);
    expect(isInGitDir('/w/sub/.git/hooks/pre-commit')).to.equal(true);
    expect(isInGitDir('/w/.git')).to.equal(true);
    expect(isInGitDir('/w/.GIT/config')).to.equal(true);
    expect(isInGitDir('/w/sub/.git/../x')).to.equal(false);
  });

  it('leaves look-alikes alone', () => {
    expect(isInGitDir('/w/.gitignore')).to.equal(false);
    expect(isInGitDir('/w/.github/workflows/ci.yml')).to.equal(false);
    expect(isInGitDir('/w/x.git/config')).to.equal(false);
  });
});

describe('decidePatch for a patch into a .git folder', () => {
  for (const policy of ['untrusted', 'on-failure', 'on-request', 'never'] as const) {
    for (const sandboxMode of ['read-only', 'workspace-write'] as const) {
      it(`${policy} × ${sandboxMode}: rejected without asking`, () => {
        expect(decidePatch({ policy, sandboxMode, allWithinRoots: true, writesGitDir: true })).to.deep.equal({ kind: 'reject', message: PATCH_REJECTED_GIT_DIR });
      });
    }
    it(`${policy} × danger-full-access: as the table says (the user turned the sandbox off)`, () => {
      expect(decidePatch({ policy, sandboxMode: 'danger-full-access', allWithinRoots: true, writesGitDir: true })).to.deep.equal(
        decidePatch({ policy, sandboxMode: 'danger-full-access', allWithinRoots: true }),
      );
    });
  }
});
