import { expect } from 'chai';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, Lifeline } from '../../src/process/lifeline';

describe('process: Lifeline', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-lifeline-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs commands as they are, and says so, when neither bwrap nor setpriv is found', async () => {
    const warnings: string[] = [];
    const lifeline = new Lifeline({ searchPath: dir, warn: (m) => warnings.push(m) });
    expect(await lifeline.wrap(['sleep', '1'], '/')).to.deep.equal(['sleep', '1']);
    expect(warnings).to.deep.equal(['bubblewrap (bwrap) is not installed and setpriv is missing; unsandboxed commands survive a SIGKILL of agentwire']);
  });

  it('falls back to setpriv --pdeathsig when bwrap is missing', async function () {
    const setpriv = findOnPath('setpriv', process.env.PATH ?? '');
    if (setpriv === undefined) {
      console.log('      skipped: setpriv (util-linux) is not installed');
      this.skip();
    }
    symlinkSync(setpriv, join(dir, 'setpriv'));
    const warnings: string[] = [];
    const lifeline = new Lifeline({ searchPath: dir, warn: (m) => warnings.push(m) });
    expect(await lifeline.wrap(['sleep', '1'], '/')).to.deep.equal([join(dir, 'setpriv'), '--pdeathsig', 'SIGKILL', '--', 'sleep', '1']);
    expect(warnings[0]).to.contain('parent-death signal from setpriv');
  });

  it('uses a pid namespace of bwrap where bwrap can create one', async function () {
    const bwrap = findOnPath('bwrap', process.env.PATH ?? '');
    const plan = await new Lifeline().probe();
    if (bwrap === undefined || plan.kind !== 'pid-namespace') {
      console.log(`      skipped: bwrap cannot create a pid namespace here (${plan.kind})`);
      this.skip();
    }
    const argv = await new Lifeline().wrap(['sleep', '1'], '/tmp');
    expect(argv).to.deep.equal([bwrap, '--dev-bind', '/', '/', '--proc', '/proc', '--unshare-pid', '--die-with-parent', '--chdir', '/tmp', '--', 'sleep', '1']);
  });
});
