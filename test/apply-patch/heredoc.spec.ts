import { expect } from 'chai';
import { extractPatchFromCommand } from '../../src/apply-patch';

const PATCH = '*** Begin Patch\n*** Add File: h.txt\n+hi\n*** End Patch';

describe('apply_patch interception (extractPatchFromCommand)', () => {
  it('takes the argument of ["apply_patch", patch] and ["applypatch", patch] verbatim', () => {
    expect(extractPatchFromCommand(['apply_patch', PATCH + '\n'])).to.equal(PATCH + '\n');
    expect(extractPatchFromCommand(['applypatch', PATCH])).to.equal(PATCH);
  });

  it('takes the body of a bash -lc heredoc with any delimiter quoting', () => {
    for (const opener of ["<<'EOF'", '<<EOF', '<<"EOF"', "<<'PATCH'", '<< EOF', "<<  'END_OF_PATCH'"]) {
      const word = opener.replace(/^<<\s*/, '').replace(/['"]/g, '');
      const script = `apply_patch ${opener}\n${PATCH}\n${word}\n`;
      expect(extractPatchFromCommand(['bash', '-lc', script]), opener).to.equal(PATCH);
    }
    expect(extractPatchFromCommand(['bash', '-lc', `applypatch <<'EOF'\n${PATCH}\nEOF`])).to.equal(PATCH);
  });

  it('tolerates whitespace around the statement', () => {
    const script = `\n  apply_patch\t<<'EOF'  \n${PATCH}\nEOF\n\n  \n`;
    expect(extractPatchFromCommand(['bash', '-lc', script])).to.equal(PATCH);
  });

  it('strips leading tabs with <<-', () => {
    const script = `apply_patch <<-EOF\n\t*** Begin Patch\n\t*** Delete File: x\n\t*** End Patch\n\tEOF\n`;
    expect(extractPatchFromCommand(['bash', '-lc', script])).to.equal('*** Begin Patch\n*** Delete File: x\n*** End Patch');
  });

  it('keeps the body literal, $ and backquotes included', () => {
    const body = '*** Begin Patch\n*** Add File: s.sh\n+echo $HOME `date`\n*** End Patch';
    expect(extractPatchFromCommand(['bash', '-lc', `apply_patch <<EOF\n${body}\nEOF\n`])).to.equal(body);
  });

  it('rejects anything that is not exactly one apply_patch heredoc', () => {
    const rejected: string[][] = [
      ['apply_patch'],
      ['apply_patch', PATCH, 'extra'],
      ['bash', '-c', `apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
      ['sh', '-lc', `apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
      ['bash', '-lc', `apply_patch <<'EOF' && echo done\n${PATCH}\nEOF\n`],
      ['bash', '-lc', `echo hi; apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
      ['bash', '-lc', `cd sub && apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
      ['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}\nEOF\necho after\n`],
      ['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}\n`],
      ['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}\nEOF \n`.replace('\nEOF \n', '\n EOF\n')],
      ['bash', '-lc', `apply_patch foo <<'EOF'\n${PATCH}\nEOF\n`],
      ['bash', '-lc', `apply_patch <<$X\n${PATCH}\n$X\n`],
      ['bash', '-lc', `apply_patch < patch.txt`],
      ['bash', '-lc', PATCH],
      ['bash', '-lc', `apply_patches <<EOF\n${PATCH}\nEOF\n`],
      ['ls', '-l'],
    ];
    for (const argv of rejected) expect(extractPatchFromCommand(argv), JSON.stringify(argv)).to.equal(undefined);
  });
});
