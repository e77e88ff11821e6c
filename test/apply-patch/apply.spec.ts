import { expect } from 'chai';
import { chmodSync, promises as fsp, lstatSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { applyPatchText, applyPlan, parsePatch, PatchApplyError, planPatch, writeNewFile, type ApplyIo, type PatchPlan } from '../../src/apply-patch';
import { TempDir } from './helpers';

const wrap = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

async function applyError(plan: PatchPlan, io: Partial<ApplyIo>): Promise<PatchApplyError> {
  try {
    await applyPlan(plan, { io });
  } catch (err) {
    expect(err).to.be.instanceOf(PatchApplyError);
    return err as PatchApplyError;
  }
  throw new Error('expected applyPlan to fail');
}

/** Real fs behaviour, except that the n-th call (1-based) fails with `code`. */
function failNth<T extends (...args: never[]) => Promise<void>>(real: T, n: number, code = 'EIO'): T {
  let calls = 0;
  return (async (...args: Parameters<T>) => {
    calls++;
    if (calls === n) throw Object.assign(new Error(`injected ${code}`), { code });
    return real(...args);
  }) as T;
}

const mode = (path: string): number => statSync(path).mode & 0o7777;

describe('apply_patch applyPlan: all or nothing', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  // Shared scenario: an update of an existing file, an add in a new folder, a delete.
  const scenario = wrap('*** Update File: a.txt', '@@', '-a', '+A', '*** Add File: new/dir/n.txt', '+n', '*** Delete File: c.txt');
  const seed = (): TempDir => {
    const d = new TempDir({ 'a.txt': 'a\n', 'c.txt': 'c\n' });
    chmodSync(d.abs('a.txt'), 0o640);
    return d;
  };

  it('applies the scenario when nothing fails', async () => {
    dir = seed();
    const result = await applyPatchText(scenario, dir.path);
    expect(result).to.deep.equal({ exitCode: 0, stdout: 'Success. Updated the following files:\nA new/dir/n.txt\nM a.txt\nD c.txt\n', stderr: '' });
    expect(dir.listing()).to.deep.equal({ 'a.txt': 'A\n', 'new/dir/n.txt': 'n\n' });
    expect(mode(dir.abs('a.txt'))).to.equal(0o640);
  });

  it('a failing second file leaves the first untouched', async () => {
    dir = new TempDir({ 'one.txt': 'one\n', 'two.txt': 'two\n' });
    const result = await applyPatchText(
      wrap('*** Update File: one.txt', '@@', '-one', '+ONE', '*** Add File: three.txt', '+3', '*** Update File: two.txt', '@@', '-zzz', '+x'),
      dir.path,
    );
    expect(result).to.deep.equal({ exitCode: 1, stdout: '', stderr: 'Failed to find expected lines ["zzz"] in two.txt\n' });
    expect(dir.listing()).to.deep.equal({ 'one.txt': 'one\n', 'two.txt': 'two\n' });
  });

  it('restores everything when a rename fails midway through the commit', async () => {
    dir = seed();
    const before = dir.listing();
    const plan = await planPatch(parsePatch(scenario), dir.path);
    const real = (from: string, to: string): Promise<void> => fsp.rename(from, to);
    const err = await applyError(plan, { rename: failNth(real, 2) });
    expect(err.message).to.match(/^Failed to write file .*new\/dir\/n\.txt: .*; no file was changed$/);
    expect(dir.listing()).to.deep.equal(before);
    expect(mode(dir.abs('a.txt'))).to.equal(0o640);
  });

  it('restores everything when a delete fails after the renames', async () => {
    dir = seed();
    const before = dir.listing();
    const plan = await planPatch(parsePatch(scenario), dir.path);
    const realUnlink = (p: string): Promise<void> => fsp.unlink(p);
    const err = await applyError(plan, { unlink: failNth(realUnlink, 1, 'EACCES') });
    expect(err.message).to.equal(`Failed to delete file ${dir.abs('c.txt')}: Permission denied (os error 13); no file was changed`);
    expect(dir.listing()).to.deep.equal(before);
    expect(mode(dir.abs('a.txt'))).to.equal(0o640);
  });

  it('removes staged files and new folders when staging fails', async () => {
    dir = seed();
    const before = dir.listing();
    const plan = await planPatch(parsePatch(scenario), dir.path);
    const realWrite: ApplyIo['writeNewFile'] = (p, d, o) => writeNewFile(p, d, o);
    await applyError(plan, { writeNewFile: failNth(realWrite, 2, 'ENOSPC') });
    expect(dir.listing()).to.deep.equal(before);
  });

  it('names the files it could not restore', async () => {
    dir = seed();
    const plan = await planPatch(parsePatch(scenario), dir.path);
    const real = (from: string, to: string): Promise<void> => fsp.rename(from, to);
    const realWrite: ApplyIo['writeNewFile'] = (p, d, o) => writeNewFile(p, d, o);
    // Calls 1-2 stage the two files; call 3 would restore a.txt.
    const err = await applyError(plan, { rename: failNth(real, 2), writeNewFile: failNth(realWrite, 3) });
    expect(err.message).to.match(new RegExp(`could not be restored and may be left changed: ${dir.abs('a.txt')}$`));
  });

  it('refuses a plan whose files changed after verification', async () => {
    dir = seed();
    const plan = await planPatch(parsePatch(scenario), dir.path);
    writeFileSync(dir.abs('a.txt'), 'edited meanwhile\n');
    const err = await applyError(plan, {});
    expect(err.message).to.equal(`${dir.abs('a.txt')} changed after the patch was verified; no file was changed`);
    expect(dir.listing()).to.deep.equal({ 'a.txt': 'edited meanwhile\n', 'c.txt': 'c\n' });
  });
});

describe('apply_patch applyPlan: modes and links', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  it('keeps the mode of updated, moved and overwritten files', async () => {
    dir = new TempDir({ 'run.sh': 'echo a\n', 'mv.sh': 'x\n', 'over.txt': 'o\n' });
    chmodSync(dir.abs('run.sh'), 0o755);
    chmodSync(dir.abs('mv.sh'), 0o700);
    chmodSync(dir.abs('over.txt'), 0o600);
    const result = await applyPatchText(
      wrap('*** Update File: run.sh', '@@', '-echo a', '+echo b', '*** Update File: mv.sh', '*** Move to: bin/mv.sh', '@@', '-x', '+y', '*** Add File: over.txt', '+new'),
      dir.path,
    );
    expect(result.exitCode).to.equal(0);
    expect(mode(dir.abs('run.sh'))).to.equal(0o755);
    expect(mode(dir.abs('bin/mv.sh'))).to.equal(0o700);
    expect(mode(dir.abs('over.txt'))).to.equal(0o600);
    expect(dir.listing()).to.deep.equal({ 'run.sh': 'echo b\n', 'bin/mv.sh': 'y\n', 'over.txt': 'new\n' });
  });

  it('stages next to files whose names are near NAME_MAX', async () => {
    const name = 'n'.repeat(250);
    dir = new TempDir({ [name]: 'a\n' });
    const result = await applyPatchText(wrap(`*** Update File: ${name}`, '@@', '-a', '+b'), dir.path);
    expect(result.exitCode).to.equal(0);
    expect(dir.listing()).to.deep.equal({ [name]: 'b\n' });
  });

  it('writes through a symlink instead of replacing it, as an in-place write would', async () => {
    dir = new TempDir({ 'real.txt': 'a\n' });
    symlinkSync('real.txt', dir.abs('link.txt'));
    const result = await applyPatchText(wrap('*** Update File: link.txt', '@@', '-a', '+b'), dir.path);
    expect(result.exitCode).to.equal(0);
    expect(lstatSync(dir.abs('link.txt')).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(dir.abs('link.txt'))).to.equal('real.txt');
    expect(dir.read('real.txt')).to.equal('b\n');
  });
});
