import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from '../../src/process/find-program';

describe('process: findProgram (where execvp would find a command)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-find-'));
    for (const sub of ['a', 'b', 'c']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'b', 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'b', 'tool'), 0o755);
    writeFileSync(join(dir, 'a', 'plain'), 'not runnable');
    chmodSync(join(dir, 'a', 'plain'), 0o644);
    mkdirSync(join(dir, 'a', 'folder'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the file of the first absolute PATH entry that has the program: the string execvp would start', () => {
    const path = [join(dir, 'a'), join(dir, 'missing'), join(dir, 'b'), join(dir, 'c')].join(':');
    expect(findProgram('tool', path, '/')).to.deep.equal({ file: `${join(dir, 'b')}/tool` });
  });

  it('says EACCES when only files that cannot be run (or folders) have the name, ENOENT when none has', () => {
    expect(findProgram('plain', join(dir, 'a'), '/')).to.deep.equal({ error: 'EACCES' });
    expect(findProgram('folder', join(dir, 'a'), '/')).to.deep.equal({ error: 'EACCES' });
    expect(findProgram('nothing', `${join(dir, 'a')}:${join(dir, 'b')}`, '/')).to.deep.equal({ error: 'ENOENT' });
  });

  it('leaves a name with a slash, or one found in a relative PATH entry, to execvp in the working folder (found, no file)', () => {
    expect(findProgram('./b/tool', undefined, dir)).to.deep.equal({ file: undefined });
    expect(findProgram('tool', `${join(dir, 'a')}::/nonexistent`, join(dir, 'b'))).to.deep.equal({ file: undefined });
    expect(findProgram('tool', 'b', dir)).to.deep.equal({ file: undefined });
    expect(findProgram('b/nothing', undefined, dir)).to.deep.equal({ error: 'ENOENT' });
  });

  it('looks `..` up through links as the kernel does, not by the text of the path', () => {
    // dir/link -> dir/a/folder: `link/../plain` is dir/a/plain for the kernel, dir/plain by text.
    symlinkSync(join(dir, 'a', 'folder'), join(dir, 'link'));
    writeFileSync(join(dir, 'plain'), '#!/bin/sh\n');
    chmodSync(join(dir, 'plain'), 0o755);
    expect(findProgram('link/../plain', undefined, dir)).to.deep.equal({ error: 'EACCES' });
    expect(findProgram('b/tool/', undefined, dir), 'a trailing slash on a file').to.deep.equal({ error: 'ENOTDIR' });
  });

  it('searches /bin:/usr/bin when the environment has no PATH', () => {
    expect(findProgram('sh', undefined, '/'))
      .to.have.property('file')
      .that.match(/^\/(usr\/)?bin\/sh$/);
  });
});
