import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { descendantsOf } from '../../src/process/descendants';
import { killTree } from '../../src/process/process-groups';
import { eventually, pidsWithArgument } from '../exec/helpers';

describe('process: killTree', () => {
  const token = `30.${process.pid}99`;
  afterEach(() => {
    for (const pid of pidsWithArgument(token)) process.kill(pid, 'SIGKILL');
  });

  it('kills a descendant that left the process group with setsid (a plain spawn, no lifeline)', async () => {
    const child = spawn('bash', ['-c', `setsid sleep ${token} & wait`], { detached: true, stdio: 'ignore' });
    expect(await eventually(() => pidsWithArgument(token).length === 1)).to.equal(true);
    const [sleeper] = pidsWithArgument(token);
    expect(descendantsOf(child.pid!)).to.include(sleeper);
    killTree(child);
    expect(await eventually(() => pidsWithArgument(token).length === 0)).to.equal(true, `survived: ${pidsWithArgument(token)}`);
  });
});
