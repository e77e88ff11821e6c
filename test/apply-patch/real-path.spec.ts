import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, symlinkSync } from 'fs';
import { join } from 'path';
import { applyPatchText, applyPlan, parsePatch, PatchApplyError, planPatch, resolveRealPath, UnresolvablePathError } from '../../src/apply-patch';
import { TempDir } from './helpers';

const wrap = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

// issue 18, finding 1: the roots decision and the write must be about where a path really is.
describe('resolveRealPath', () => {
  let dir: TempDir;
  let outside: TempDir;
  beforeEach(() => {
    dir = new TempDir({ 'a/f.txt': 'f\n' });
    outside = new TempDir({ 'x.txt': 'x\n' });
  });
  afterEach(() => {
    dir.remove();
    outside.remove();
  });
  const out = (rel = ''): string => join(realpathSync(outside.path), rel);
  const inside = (rel = ''): string => join(realpathSync(dir.path), rel);

  it('returns an existing real path unchanged', async () => {
    expect(await resolveRealPath(dir.abs('a/f.txt'), { followFinal: true })).to.equal(inside('a/f.txt'));
  });

  it('resolves the parent of a new file through a link', async () => {
    symlinkSync(outside.path, dir.abs('link'));
    expect(await resolveRealPath(dir.abs('link/new.txt'), { followFinal: true })).to.equal(out('new.txt'));
  });

  it('resolves the existing ancestor of several missing folders', async () => {
    symlinkSync(outside.path, dir.abs('link'));
    expect(await resolveRealPath(dir.abs('link/p/q/new.txt'), { followFinal: true })).to.equal(out('p/q/new.txt'));
  });

  it('folds .. before resolving, so the path checked is the path written', async () => {
    mkdirSync(join(outside.path, 'deep'));
    symlinkSync(join(outside.path, 'deep'), dir.abs('link'));
    // `link/..` is folded away lexically, as 0.29 normalises patch paths.
    expect(await resolveRealPath(`${dir.abs('link')}/../x.txt`, { followFinal: true })).to.equal(inside('x.txt'));
  });

  it('follows a final link to a file only when asked', async () => {
    symlinkSync(join(outside.path, 'x.txt'), dir.abs('lx'));
    expect(await resolveRealPath(dir.abs('lx'), { followFinal: true })).to.equal(out('x.txt'));
    expect(await resolveRealPath(dir.abs('lx'), { followFinal: false })).to.equal(inside('lx'));
  });

  it('resolves the folders of an entry it does not follow', async () => {
    symlinkSync(outside.path, dir.abs('link'));
    expect(await resolveRealPath(dir.abs('link/x.txt'), { followFinal: false })).to.equal(out('x.txt'));
  });

  it('refuses a dangling link as the final component, and keeps it as an entry', async () => {
    symlinkSync(join(outside.path, 'not-yet.txt'), dir.abs('dangling'));
    const err = await rejection(resolveRealPath(dir.abs('dangling'), { followFinal: true }));
    expect(err).to.be.instanceOf(UnresolvablePathError);
    expect((err as UnresolvablePathError).code).to.equal('EDANGLING');
    expect(await resolveRealPath(dir.abs('dangling'), { followFinal: false })).to.equal(inside('dangling'));
  });

  it('refuses a dangling link as a folder on the way', async () => {
    symlinkSync(join(outside.path, 'no-dir'), dir.abs('dl'));
    const err = await rejection(resolveRealPath(dir.abs('dl/new.txt'), { followFinal: true }));
    expect((err as UnresolvablePathError).code).to.equal('EDANGLING');
  });

  it('refuses a link loop', async () => {
    symlinkSync('loop2', dir.abs('loop1'));
    symlinkSync('loop1', dir.abs('loop2'));
    const err = await rejection(resolveRealPath(dir.abs('loop1/new.txt'), { followFinal: true }));
    expect(err).to.be.instanceOf(UnresolvablePathError);
  });

  it('keeps a path below a regular file (the write then fails as before)', async () => {
    expect(await resolveRealPath(dir.abs('a/f.txt/sub'), { followFinal: true })).to.equal(inside('a/f.txt/sub'));
  });
});

describe('apply_patch through symbolic links (issue 18, finding 1)', () => {
  let dir: TempDir;
  let outside: TempDir;
  beforeEach(() => {
    dir = new TempDir({ 'in.txt': 'in\n' });
    outside = new TempDir({ 'x.txt': 'x\n', 'y.txt': 'y\n' });
    symlinkSync(outside.path, dir.abs('link'));
  });
  afterEach(() => {
    dir.remove();
    outside.remove();
  });
  const out = (rel: string): string => join(realpathSync(outside.path), rel);

  it('plans Add, Update, Delete and Move to through a link at their real paths', async () => {
    const plan = await planPatch(
      parsePatch(
        wrap(
          '*** Add File: link/pwned.txt',
          '+pwned',
          '*** Update File: link/x.txt',
          '@@',
          '-x',
          '+X',
          '*** Delete File: link/y.txt',
          '*** Update File: in.txt',
          '*** Move to: link/moved.txt',
          '@@',
          '-in',
          '+IN',
        ),
      ),
      dir.path,
    );
    expect(plan.affectedPaths).to.deep.equal([out('pwned.txt'), out('x.txt'), out('y.txt'), dir.abs('in.txt'), out('moved.txt')]);
    expect(plan.requestedPaths).to.deep.equal([dir.abs('link/pwned.txt'), dir.abs('link/x.txt'), dir.abs('link/y.txt'), dir.abs('in.txt'), dir.abs('link/moved.txt')]);
    // What the client is asked about: where the bytes land, not the in-project name.
    expect(Object.keys(plan.changes)).to.deep.equal([out('pwned.txt'), out('x.txt'), out('y.txt'), dir.abs('in.txt')]);
    expect(plan.changes[dir.abs('in.txt')]).to.deep.include({ update: { unified_diff: '@@ -1 +1 @@\n-in\n+IN\n', move_path: out('moved.txt') } });
  });

  it('shows an in-project link target through the cwd', async () => {
    mkdirSync(dir.abs('sub'));
    symlinkSync('sub', dir.abs('inlink'));
    const plan = await planPatch(parsePatch(wrap('*** Add File: inlink/n.txt', '+n')), dir.path);
    expect(Object.keys(plan.changes)).to.deep.equal([dir.abs('sub/n.txt')]);
  });

  it('does not write through a dangling link as the final component', async () => {
    symlinkSync(join(outside.path, 'created.txt'), dir.abs('dangling.txt'));
    const result = await applyPatchText(wrap('*** Add File: dangling.txt', '+no'), dir.path);
    expect(result.exitCode).to.equal(1);
    expect(result.stderr).to.match(/^Failed to write file dangling\.txt: refusing to follow the dangling symbolic link/);
    expect(existsSync(join(outside.path, 'created.txt'))).to.equal(false);
  });

  it('rolls back when a folder is swapped for a link after verification', async () => {
    mkdirSync(dir.abs('d'));
    const plan = await planPatch(parsePatch(wrap('*** Add File: d/new.txt', '+new')), dir.path);
    // What a background process of the model could do while an approval is pending.
    renameSync(dir.abs('d'), dir.abs('d-old'));
    symlinkSync(outside.path, dir.abs('d'));
    const err = await rejection(applyPlan(plan));
    expect(err).to.be.instanceOf(PatchApplyError);
    expect(err.message).to.match(/symbolic link.*no file was changed$/);
    expect(readdirSync(outside.path).sort()).to.deep.equal(['x.txt', 'y.txt']);
  });

  it('makes no folder through a link planted after verification', async () => {
    mkdirSync(dir.abs('d'));
    const plan = await planPatch(parsePatch(wrap('*** Add File: d/new/deeper/n.txt', '+n')), dir.path);
    renameSync(dir.abs('d'), dir.abs('d-old'));
    symlinkSync(outside.path, dir.abs('d'));
    const err = await rejection(applyPlan(plan));
    expect(err).to.be.instanceOf(PatchApplyError);
    expect(readdirSync(outside.path).sort()).to.deep.equal(['x.txt', 'y.txt']);
  });
});
