import { expect } from 'chai';
import { isWithinRoots, writableRoots } from '../../src/approvals/writable-roots';

describe('writableRoots', () => {
  const env = { TMPDIR: '/var/tmp/me' };

  it('is all for danger-full-access', () => {
    expect(writableRoots({ mode: 'danger-full-access' }, '/w', env)).to.equal('all');
  });

  it('is empty for read-only', () => {
    expect(writableRoots({ mode: 'read-only' }, '/w', env)).to.deep.equal([]);
  });

  it('is cwd, writable_roots against the cwd, /tmp and $TMPDIR for workspace-write', () => {
    const roots = writableRoots({ mode: 'workspace-write', writable_roots: ['/extra', 'rel/dir', '../up'] }, '/w/proj/', env);
    expect(roots).to.deep.equal(['/w/proj', '/extra', '/w/proj/rel/dir', '/w/up', '/tmp', '/var/tmp/me']);
  });

  it('leaves out /tmp with exclude_slash_tmp', () => {
    expect(writableRoots({ mode: 'workspace-write', exclude_slash_tmp: true }, '/w', env)).to.deep.equal(['/w', '/var/tmp/me']);
  });

  it('leaves out $TMPDIR with exclude_tmpdir_env_var', () => {
    expect(writableRoots({ mode: 'workspace-write', exclude_tmpdir_env_var: true }, '/w', env)).to.deep.equal(['/w', '/tmp']);
  });

  it('leaves out both, as the outside-roots probes of APPROVAL.md §2 did', () => {
    const policy = { mode: 'workspace-write', exclude_slash_tmp: true, exclude_tmpdir_env_var: true } as const;
    expect(writableRoots(policy, '/w', env)).to.deep.equal(['/w']);
  });

  it('adds nothing for an unset or empty TMPDIR', () => {
    expect(writableRoots({ mode: 'workspace-write' }, '/w', {})).to.deep.equal(['/w', '/tmp']);
    expect(writableRoots({ mode: 'workspace-write' }, '/w', { TMPDIR: '' })).to.deep.equal(['/w', '/tmp']);
  });

  it('drops duplicates', () => {
    expect(writableRoots({ mode: 'workspace-write', writable_roots: ['/tmp', '.'] }, '/tmp', { TMPDIR: '/tmp/' })).to.deep.equal(['/tmp']);
  });

  it('reads process.env by default', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = '/from/process/env';
    try {
      expect(writableRoots({ mode: 'workspace-write' }, '/w')).to.include('/from/process/env');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe('isWithinRoots', () => {
  const roots = ['/w/proj', '/tmp'];

  it('accepts a root itself and paths below it', () => {
    expect(isWithinRoots('/w/proj', roots)).to.equal(true);
    expect(isWithinRoots('/w/proj/', roots)).to.equal(true);
    expect(isWithinRoots('/w/proj/a/b.txt', roots)).to.equal(true);
    expect(isWithinRoots('/tmp/x', roots)).to.equal(true);
  });

  it('normalises lexically before comparing', () => {
    expect(isWithinRoots('/w/proj/a/../b.txt', roots)).to.equal(true);
    expect(isWithinRoots('/w/proj/./..foo/x', roots)).to.equal(true);
    expect(isWithinRoots('/w/proj/../other/x', roots)).to.equal(false);
    expect(isWithinRoots('/w/proj/a/../../proj2/x', roots)).to.equal(false);
  });

  it('does not take a sibling with the same prefix for a child', () => {
    expect(isWithinRoots('/w/project/x', roots)).to.equal(false);
    expect(isWithinRoots('/tmpfoo', roots)).to.equal(false);
  });

  it('rejects paths outside every root, and everything when there are no roots', () => {
    expect(isWithinRoots('/elsewhere/o.txt', roots)).to.equal(false);
    expect(isWithinRoots('/w', roots)).to.equal(false);
    expect(isWithinRoots('/w/proj/x', [])).to.equal(false);
  });

  it('accepts everything for all', () => {
    expect(isWithinRoots('/etc/passwd', 'all')).to.equal(true);
  });

  it('never places a relative path inside', () => {
    expect(isWithinRoots('proj/x', roots)).to.equal(false);
  });

  it('handles / as a root', () => {
    expect(isWithinRoots('/anything/at/all', ['/'])).to.equal(true);
  });
});
