import { expect } from 'chai';
import { shlexJoin } from '../../src/exec/shlex-join';

describe('shlexJoin', () => {
  it('quotes like codex 0.29 shows commands', () => {
    expect(shlexJoin(['python3', '-c', 'print(42)'])).to.equal("python3 -c 'print(42)'");
    expect(shlexJoin(['touch', 'raw.txt'])).to.equal('touch raw.txt');
    expect(shlexJoin(['bash', '-lc', 'uname -s && ls -1'])).to.equal("bash -lc 'uname -s && ls -1'");
    expect(shlexJoin(['echo', "it's", ''])).to.equal(`echo 'it'"'"'s' ''`);
  });
});
