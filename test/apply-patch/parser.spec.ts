import { expect } from 'chai';
import { parsePatch, PatchParseError, type UpdateFileHunk } from '../../src/apply-patch';
import { rustDebugList } from '../../src/apply-patch/errors';

function parseError(text: string): PatchParseError {
  try {
    parsePatch(text);
  } catch (err) {
    expect(err).to.be.instanceOf(PatchParseError);
    return err as PatchParseError;
  }
  throw new Error('expected a parse error');
}

describe('apply_patch parser', () => {
  it('parses add, delete, update with move, contexts and End of File', () => {
    const parsed = parsePatch(
      [
        '*** Begin Patch',
        '*** Add File: a/new.txt',
        '+one',
        '+',
        '*** Delete File: old.txt',
        '*** Update File: src.py',
        '*** Move to: dst.py',
        '@@ def f():',
        '-    pass',
        '+    return 1',
        '',
        '@@',
        ' tail',
        '+more',
        '*** End of File',
        '*** End Patch',
      ].join('\n'),
    );
    expect(parsed.hunks).to.deep.equal([
      { kind: 'add', path: 'a/new.txt', contents: 'one\n\n' },
      { kind: 'delete', path: 'old.txt' },
      {
        kind: 'update',
        path: 'src.py',
        movePath: 'dst.py',
        chunks: [
          // The blank separator line is an empty context line of the first chunk, as in 0.29.
          { changeContext: 'def f():', oldLines: ['    pass', ''], newLines: ['    return 1', ''], isEndOfFile: false },
          { changeContext: null, oldLines: ['tail'], newLines: ['tail', 'more'], isEndOfFile: true },
        ],
      },
    ]);
  });

  it('trims hunk header lines but not the begin marker', () => {
    expect(parsePatch('*** Begin Patch\n   *** Delete File: x.txt  \n*** End Patch').hunks).to.deep.equal([{ kind: 'delete', path: 'x.txt' }]);
    expect(parseError('*** Begin Patch \n*** Delete File: x\n*** End Patch').standaloneMessage).to.equal("Invalid patch: The first line of the patch must be '*** Begin Patch'");
  });

  it('drops the CR of CRLF patch lines, like Rust str::lines', () => {
    const parsed = parsePatch('*** Begin Patch\r\n*** Update File: f\r\n@@\r\n-a\r\n+b\r\n*** End Patch\r\n');
    expect(parsed.hunks[0]).to.deep.include({ path: 'f' });
    expect((parsed.hunks[0] as UpdateFileHunk).chunks[0]).to.deep.include({ oldLines: ['a'], newLines: ['b'] });
  });

  it('accepts the lenient heredoc wrapper with each quoting and returns the unwrapped text', () => {
    for (const opener of ['<<EOF', "<<'EOF'", '<<"EOF"']) {
      const parsed = parsePatch(`${opener}\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF\n`);
      expect(parsed.hunks).to.have.length(1);
      expect(parsed.text).to.equal('*** Begin Patch\n*** Delete File: x\n*** End Patch');
    }
    expect(() => parsePatch("<<'PATCH'\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nPATCH")).to.throw(
      "Invalid patch: The first line of the patch must be '*** Begin Patch'",
    );
  });

  it('blames the last line for an empty or begin-only patch', () => {
    expect(parseError('').detail).to.equal("The last line of the patch must be '*** End Patch'");
    expect(parseError('*** Begin Patch').detail).to.equal("The last line of the patch must be '*** End Patch'");
  });

  it('parses Begin + End with nothing between as zero hunks', () => {
    expect(parsePatch('*** Begin Patch\n*** End Patch').hunks).to.deep.equal([]);
  });

  it('gives both the standalone and the model-facing texts (APPLY_PATCH.md §3/§4)', () => {
    const header = parseError('*** Begin Patch\n*** Frob: x\n*** End Patch');
    expect(header.standaloneMessage).to.equal(
      "Invalid patch hunk on line 2: '*** Frob: x' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
    expect(header.modelMessage).to.equal(
      "invalid hunk at line 2, '*** Frob: x' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
    const begin = parseError('nope\n*** End Patch');
    expect(begin.modelMessage).to.equal("invalid patch: The first line of the patch must be '*** Begin Patch'");
    expect(begin.message).to.equal("Invalid patch: The first line of the patch must be '*** Begin Patch'");
  });

  it('numbers lines across hunks and reports chunk errors where they occur', () => {
    const second = parseError('*** Begin Patch\n*** Add File: a\n+x\n*** Update File: b\n@@\n-x\n+y\nz\n*** End Patch');
    expect(second.standaloneMessage).to.equal("Invalid patch hunk on line 8: Expected update hunk to start with a @@ context marker, got: 'z'");
    const unexpected = parseError('*** Begin Patch\n*** Update File: b\n@@\nz\n*** End Patch');
    expect(unexpected.standaloneMessage).to.equal(
      "Invalid patch hunk on line 4: Unexpected line found in update hunk: 'z'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)",
    );
    const noLines = parseError('*** Begin Patch\n*** Update File: b\n@@\n*** End of File\n*** End Patch');
    expect(noLines.standaloneMessage).to.equal('Invalid patch hunk on line 4: Update hunk does not contain any lines');
    const emptyAfterHeader = parseError('*** Begin Patch\n*** Update File: b\n@@\n*** End Patch');
    expect(emptyAfterHeader.standaloneMessage).to.equal('Invalid patch hunk on line 4: Update hunk does not contain any lines');
  });

  it('skips blank lines before a chunk and ends an update at a line starting with *', () => {
    const parsed = parsePatch('*** Begin Patch\n*** Update File: f\n\n  \n@@\n-a\n+b\n\n@@\n-c\n+d\n*** Delete File: g\n*** End Patch');
    expect(parsed.hunks).to.have.length(2);
    const chunks = (parsed.hunks[0] as UpdateFileHunk).chunks;
    expect(chunks).to.have.length(2);
    // As in 0.29, an empty line right after a chunk's lines still belongs to that chunk.
    expect(chunks[0].oldLines).to.deep.equal(['a', '']);
  });

  it('prints expected-lines lists like Rust Debug', () => {
    expect(rustDebugList(['a', 'c'])).to.equal('["a", "c"]');
    expect(rustDebugList(['say "hi"\t\\', 'x\u00a0y', 'é'])).to.equal('["say \\"hi\\"\\t\\\\", "x\\u{a0}y", "é"]');
  });
});
