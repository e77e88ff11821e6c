import { expect } from 'chai';
import { existsSync, writeFileSync } from 'fs';
import { parsePatch, PatchApplyError, planPatch, verifyPatch } from '../../src/apply-patch';
import { applyChunks, seekSequence } from '../../src/apply-patch/matching';
import type { UpdateFileChunk } from '../../src/apply-patch/parser';
import { TempDir } from './helpers';

const wrap = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

async function planError(dir: TempDir, patch: string): Promise<PatchApplyError> {
  try {
    await planPatch(parsePatch(patch), dir.path);
  } catch (err) {
    expect(err).to.be.instanceOf(PatchApplyError);
    return err as PatchApplyError;
  }
  throw new Error('expected a PatchApplyError');
}

describe('apply_patch planner', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  it('builds the changes map, affected paths and stdout without touching the disk', async () => {
    dir = new TempDir({ 'greet.txt': 'hello\n', 'old.txt': 'bye\n', 'src/a.txt': 'a\nb\nc\n' });
    const patch = wrap(
      '*** Add File: hello.txt',
      '+hello world',
      '*** Update File: greet.txt',
      '@@',
      '-hello',
      '+hello, patched',
      '*** Delete File: old.txt',
      '*** Update File: src/a.txt',
      '*** Move to: dst/a.txt',
      '@@',
      ' a',
      '-b',
      '+B',
    );
    const before = dir.listing();
    const plan = await planPatch(parsePatch(patch), dir.path);
    expect(dir.listing()).to.deep.equal(before);

    expect(plan.changes).to.deep.equal({
      [dir.abs('hello.txt')]: { add: { content: 'hello world\n' } },
      // Measured in apply-patch-approved.jsonl: hunk headers only, 1 line of context.
      [dir.abs('greet.txt')]: { update: { unified_diff: '@@ -1 +1 @@\n-hello\n+hello, patched\n', move_path: null } },
      [dir.abs('old.txt')]: { delete: { content: 'bye\n' } },
      [dir.abs('src/a.txt')]: { update: { unified_diff: '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n', move_path: dir.abs('dst/a.txt') } },
    });
    expect(plan.affectedPaths).to.deep.equal([dir.abs('hello.txt'), dir.abs('greet.txt'), dir.abs('old.txt'), dir.abs('src/a.txt'), dir.abs('dst/a.txt')]);
    expect(plan.stdout).to.equal('Success. Updated the following files:\nA hello.txt\nM greet.txt\nM dst/a.txt\nD old.txt\n');
    expect(plan.files.map((f) => [f.path, f.before === null, f.after])).to.deep.equal([
      [dir.abs('hello.txt'), true, 'hello world\n'],
      [dir.abs('greet.txt'), false, 'hello, patched\n'],
      [dir.abs('old.txt'), false, null],
      [dir.abs('dst/a.txt'), true, 'a\nB\nc\n'],
      [dir.abs('src/a.txt'), false, null],
    ]);
  });

  it('renders the update diff with 1 line of context and "No newline" markers', async () => {
    dir = new TempDir({ 'n.txt': '1\n2\n3\n4\n5\n6\n7\n8\n9', 'e.txt': '' });
    const plan = await planPatch(parsePatch(wrap('*** Update File: n.txt', '@@', ' 1', '-2', '+two', '@@', '-9', '+nine', '*** Update File: e.txt', '+x')), dir.path);
    expect(plan.changes[dir.abs('n.txt')]).to.deep.equal({
      update: {
        unified_diff: '@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -8,2 +8,2 @@\n 8\n-9\n\\ No newline at end of file\n+nine\n',
        move_path: null,
      },
    });
    expect(plan.changes[dir.abs('e.txt')]).to.deep.equal({ update: { unified_diff: '@@ -0,0 +1 @@\n+x\n', move_path: null } });
  });

  it('resolves absolute patch paths as given', async () => {
    dir = new TempDir();
    const other = new TempDir({ 'f.txt': 'x\n' });
    try {
      const plan = await planPatch(parsePatch(wrap(`*** Delete File: ${other.abs('f.txt')}`)), dir.path);
      expect(plan.affectedPaths).to.deep.equal([other.abs('f.txt')]);
      expect(plan.stdout).to.equal(`Success. Updated the following files:\nD ${other.abs('f.txt')}\n`);
    } finally {
      other.remove();
    }
  });

  it('lets later hunks see earlier ones (add, then update, then move)', async () => {
    dir = new TempDir();
    const plan = await planPatch(parsePatch(wrap('*** Add File: n.txt', '+a', '*** Update File: n.txt', '*** Move to: m.txt', '@@', '-a', '+b')), dir.path);
    expect(plan.files.map((f) => [f.path, f.after])).to.deep.equal([
      [dir.abs('n.txt'), null],
      [dir.abs('m.txt'), 'b\n'],
    ]);
    expect(plan.stdout).to.equal('Success. Updated the following files:\nA n.txt\nM m.txt\n');
  });

  describe('model-facing error texts (APPLY_PATCH.md §4): absolute paths, `error: ` prefix', () => {
    it('missing expected lines', async () => {
      dir = new TempDir({ 'f.txt': 'a\nb\nc\n' });
      const v = await verifyPatch(['apply_patch', wrap('*** Update File: f.txt', '@@', '-zzz', '+yyy')], dir.path);
      expect(v).to.deep.include({ status: 'invalid', toolOutput: `error: Failed to find expected lines ["zzz"] in ${dir.abs('f.txt')}` });
    });

    it('missing file to update', async () => {
      dir = new TempDir();
      const v = await verifyPatch(['apply_patch', wrap('*** Update File: nope.txt', '@@', '-a', '+b')], dir.path);
      expect(v).to.deep.include({
        status: 'invalid',
        toolOutput: `error: Failed to read file to update ${dir.abs('nope.txt')}: No such file or directory (os error 2)`,
      });
    });

    it('bad hunk header', async () => {
      dir = new TempDir();
      const v = await verifyPatch(['apply_patch', wrap('*** Frob: x')], dir.path);
      expect(v).to.deep.include({
        status: 'invalid',
        toolOutput:
          "error: invalid hunk at line 2, '*** Frob: x' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
      });
    });

    it('missing begin marker', async () => {
      dir = new TempDir();
      const v = await verifyPatch(['apply_patch', '*** Add File: x.txt\n+x\n*** End Patch'], dir.path);
      expect(v).to.deep.include({
        status: 'invalid',
        toolOutput: "error: invalid patch: The first line of the patch must be '*** Begin Patch'",
      });
    });

    it('context not found, delete of a missing file or folder, write into a file', async () => {
      dir = new TempDir({ 'p.py': 'def f():\n    pass\n', 'dir/x': 'x\n', plain: 'p\n' });
      let err = await planError(dir, wrap('*** Update File: p.py', '@@ def nope():', '-    pass', '+    return 1'));
      expect([err.standaloneMessage, err.modelMessage]).to.deep.equal([
        "Failed to find context 'def nope():' in p.py",
        `Failed to find context 'def nope():' in ${dir.abs('p.py')}`,
      ]);
      err = await planError(dir, wrap('*** Delete File: gone.txt'));
      expect([err.standaloneMessage, err.modelMessage]).to.deep.equal([
        'Failed to delete file gone.txt',
        `Failed to read ${dir.abs('gone.txt')}: No such file or directory (os error 2)`,
      ]);
      err = await planError(dir, wrap('*** Delete File: dir'));
      expect([err.standaloneMessage, err.modelMessage]).to.deep.equal(['Failed to delete file dir', `Failed to read ${dir.abs('dir')}: Is a directory (os error 21)`]);
      err = await planError(dir, wrap('*** Add File: plain/sub.txt', '+x'));
      expect(err.standaloneMessage).to.equal('Failed to create parent directories for plain/sub.txt');
      err = await planError(dir, wrap('*** Add File: dir', '+x'));
      expect(err.modelMessage).to.equal(`Failed to write file ${dir.abs('dir')}`);
    });

    it('an update of a non-UTF-8 file', async () => {
      dir = new TempDir();
      writeFileSync(dir.abs('bin'), Buffer.from([0xff, 0xfe, 0x0a]));
      const err = await planError(dir, wrap('*** Update File: bin', '+x'));
      expect(err.standaloneMessage).to.equal('Failed to read file to update bin: stream did not contain valid UTF-8');
    });

    it('an empty patch', async () => {
      dir = new TempDir();
      const v = await verifyPatch('*** Begin Patch\n*** End Patch', dir.path);
      expect(v).to.deep.include({ status: 'invalid', toolOutput: 'error: No files were modified.' });
    });
  });

  it('says not_apply_patch for other commands', async () => {
    dir = new TempDir();
    expect(await verifyPatch(['ls', '-la'], dir.path)).to.deep.equal({ status: 'not_apply_patch' });
  });

  it('never writes while verifying, even for a patch that would succeed', async () => {
    dir = new TempDir();
    const v = await verifyPatch(['bash', '-lc', "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a/b.txt\n+x\n*** End Patch\nEOF\n"], dir.path);
    expect(v.status).to.equal('ok');
    expect(existsSync(dir.abs('a'))).to.equal(false);
  });
});

describe('apply_patch matching', () => {
  const chunk = (oldLines: string[], newLines: string[], extra: Partial<UpdateFileChunk> = {}): UpdateFileChunk => ({
    changeContext: null,
    oldLines,
    newLines,
    isEndOfFile: false,
    ...extra,
  });

  it('prefers an exact match later over a fuzzy match earlier', () => {
    expect(seekSequence(['a ', 'x', 'a'], ['a'], 0, false)).to.equal(2);
  });

  it('requires End of File chunks to match the tail, without falling back', () => {
    expect(seekSequence(['end', 'b', 'end'], ['end'], 0, true)).to.equal(2);
    expect(seekSequence(['end', 'b'], ['end'], 0, true)).to.equal(-1);
  });

  it('retries without a trailing empty old line', () => {
    expect(applyChunks('a\nb\n', [chunk(['b', ''], ['B', ''])])).to.deep.equal({ ok: true, text: 'a\nB\n' });
  });

  it('inserts pure additions at the end, before a trailing blank line', () => {
    expect(applyChunks('a\n\n', [chunk([], ['z'])])).to.deep.equal({ ok: true, text: 'a\nz\n' });
    expect(applyChunks('', [chunk([], ['z'])])).to.deep.equal({ ok: true, text: 'z\n' });
  });

  it('maps typographic characters only in the last pass', () => {
    expect(applyChunks('a\u2011b\u00a0c\n', [chunk(['a-b c'], ['x'])])).to.deep.equal({ ok: true, text: 'x\n' });
  });

  it('searches each chunk after the previous one', () => {
    expect(applyChunks('x\ny\nx\n', [chunk(['y'], ['Y']), chunk(['x'], ['X'])])).to.deep.equal({ ok: true, text: 'x\nY\nX\n' });
    expect(applyChunks('x\ny\n', [chunk(['y'], ['Y']), chunk(['x'], ['X'])])).to.deep.equal({
      ok: false,
      failure: { kind: 'lines', lines: ['x'] },
    });
  });
});
