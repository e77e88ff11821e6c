import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('returns the first runnable file along the search path', () => {
    const path = [join(dir, 'a'), join(dir, 'missing'), join(dir, 'b'), join(dir, 'c')].join(':');
    expect(findProgram('tool', path, '/')).to.deep.equal({ path: join(dir, 'b', 'tool') });
  });

  it('says EACCES when only files that cannot be run (or folders) have the name, ENOENT when none has', () => {
    expect(findProgram('plain', join(dir, 'a'), '/')).to.deep.equal({ error: 'EACCES' });
    expect(findProgram('folder', join(dir, 'a'), '/')).to.deep.equal({ error: 'EACCES' });
    expect(findProgram('nothing', `${join(dir, 'a')}:${join(dir, 'b')}`, '/')).to.deep.equal({ error: 'ENOENT' });
  });

  it('takes a name with a slash relative to the working folder, and an empty PATH entry as that folder', () => {
    expect(findProgram('./b/tool', undefined, dir)).to.deep.equal({ path: join(dir, 'b', 'tool') });
    expect(findProgram('tool', `${join(dir, 'a')}::/nonexistent`, join(dir, 'b'))).to.deep.equal({ path: join(dir, 'b', 'tool') });
    expect(findProgram('b/nothing', undefined, dir)).to.deep.equal({ error: 'ENOENT' });
  });

  it('searches /bin:/usr/bin when the environment has no PATH', () => {
    expect(findProgram('sh', undefined, '/'))
      .to.have.property('path')
      .that.match(/^\/(usr\/)?bin\/sh$/);
  });
});
