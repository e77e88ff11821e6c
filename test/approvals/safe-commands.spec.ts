import { expect } from 'chai';
import { isKnownSafeCommand } from '../../src/approvals/safe-commands';

const bash = (script: string): string[] => ['bash', '-lc', script];

function expectSafe(cases: string[][], safe: boolean): void {
  for (const argv of cases) {
    it(`${JSON.stringify(argv)} is ${safe ? 'safe' : 'not safe'}`, () => {
      expect(isKnownSafeCommand(argv)).to.equal(safe);
    });
  }
}

describe('isKnownSafeCommand', () => {
  describe('the APPROVAL.md §4 probe table: auto', () => {
    expectSafe(
      [
        ['sed', '-n', '1,2p', 'f'],
        ['find', '.', '-name', 'x'],
        ['rg', 'foo'],
        ['cargo', 'check'],
        ['git', 'log'],
        ['git', 'diff'],
        ['git', 'branch'],
        ['git', 'status'],
        ['nl', 'f'],
        ['which', 'ls'],
        ['echo', 'hi'],
        ['cd', '.'],
        ['head', 'f'],
        ['pwd'],
        ['wc', 'f'],
        ['true'],
        bash('ls || true'),
        bash('cat f | grep a'),
        bash("grep -R 'a' ."),
        bash('ls && pwd'),
      ],
      true,
    );
  });

  describe('the APPROVAL.md §4 probe table: ASK', () => {
    expectSafe(
      [
        ['find', '.', '-delete'],
        ['rg', '--pre', 'x', 'y'],
        ['git', 'fetch'],
        bash('ls > out.txt'),
        bash('(ls)'),
        bash('ls; rm -f zz'),
        bash('echo $HOME'),
        ['bash', '-c', 'ls'],
        ['sh', '-lc', 'ls'],
        ['python3', '-c', 'print(42)'],
        ['env'],
      ],
      false,
    );
  });

  describe('single commands', () => {
    expectSafe(
      [
        ['cat', 'a', 'b'],
        ['ls', '-la', '/'],
        ['false'],
        ['grep', '-rn', 'x', '.'],
        ['tail', '-n', '5', 'f'],
        ['find', '.', '-type', 'f', '-print'],
        ['rg', '-n', '--glob', '*.ts', 'foo'],
        ['rg', '--prefix', 'x'],
        ['git', 'show', 'HEAD', '--stat'],
        ['cargo', 'check', '--all-targets'],
        ['sed', '-n', '5p', 'f'],
        ['sed', '-n', '10,20p', 'some file'],
      ],
      true,
    );
    expectSafe(
      [
        [],
        [''],
        ['/bin/ls'],
        ['touch', 't.txt'],
        ...['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf'].map((opt) => ['find', '.', opt, 'x']),
        ['rg', '--search-zip', 'foo'],
        ['rg', '-z', 'foo'],
        ['rg', '--pre=cat', 'foo'],
        ['rg', '--hostname-bin', 'h', 'foo'],
        ['rg', '--hostname-bin=h', 'foo'],
        ['git'],
        ['git', 'push'],
        ['git', '-C', '.', 'status'],
        ['cargo', 'build'],
        ['cargo'],
        ['sed', '-n', '1p'],
        ['sed', '-n', '1p', 'f', 'g'],
        ['sed', '-n', '1p', ''],
        ['sed', '-i', '1p', 'f'],
        ['sed', '-n', 'p', 'f'],
        ['sed', '-n', '1', 'f'],
        ['sed', '-n', '1,p', 'f'],
        ['sed', '-n', ',2p', 'f'],
        ['sed', '-n', '1,2,3p', 'f'],
        ['sed', '-n', '1d', 'f'],
        ['sed', '-n', '$p', 'f'],
        ['sed', '-n', '-1p', 'f'],
        ['sed', '-n', '1;wp', 'f'],
      ],
      false,
    );
  });

  describe('bash -lc scripts: safe', () => {
    expectSafe(
      [
        bash('ls && pwd'),
        bash('ls | wc -l'),
        bash('ls || true'),
        bash('cat f | grep a'),
        bash("grep -R 'a' ."),
        bash('ls'),
        bash('ls&&pwd'),
        bash('ls; pwd; echo done'),
        bash('git status && git diff | head -n 20'),
        bash('ls *.ts'),
        bash('rg foo src/*.ts'),
        bash("rg -g '*.ts' foo"),
        bash("find . -name '*.ts'"),
        bash('sed -n 1,5p README.md'),
        bash('echo "a; rm -rf x"'),
        bash("echo 'a > b'"),
        bash('echo \\$HOME'),
        bash('cd src && ls'),
      ],
      true,
    );
  });

  describe('bash -lc scripts: not safe', () => {
    expectSafe(
      [
        bash('ls > out.txt'),
        bash('ls>out.txt'),
        bash('ls >> out.txt'),
        bash('cat < f'),
        bash('cat <<< hi'),
        bash('cat <<EOF'),
        bash('ls 2>&1'),
        bash('ls &> x'),
        bash('(ls)'),
        bash('ls &'),
        bash('ls |& cat'),
        bash('ls;; pwd'),
        bash('cat <(ls)'),
        bash('ls; rm -f zz'),
        bash('ls | xargs rm'),
        bash('echo $HOME'),
        bash('echo "$HOME"'),
        bash('echo ${HOME}'),
        bash('echo $1'),
        bash('echo $(pwd)'),
        bash('echo "$(pwd)"'),
        bash('echo `pwd`'),
        bash('echo "x`pwd`"'),
        bash('echo $((1+2))'),
        bash('echo ${x:-$(rm -rf y)}'),
        bash('ls # comment'),
        bash(''),
        bash('   '),
        bash('&& ls'),
        bash('ls &&'),
        bash('ls && && pwd'),
        bash('ls | | wc'),
        bash(';'),
        bash('ls\nrm -rf x'),
        bash('ls \\\nrm'),
        bash('a=b ls'),
        bash('! ls'),
        bash('{ ls; }'),
        bash('bash -lc ls'),
        bash('find . -delete'),
        bash("find . $'-dele\\x74e'"),
        bash('find . -{delete,name} x'),
        bash('find . {-delete,-name} x'),
        bash('find *'),
        bash('find . -dele?e'),
        bash('find . [-]delete'),
        bash('rg --pre=sh x'),
        bash('rg x --p*'),
        bash('sed -n 1p *'),
        bash('git fetch'),
        ['bash', '-lc', 'ls', 'extra'],
        ['bash', '-l', '-c', 'ls'],
        ['/bin/bash', '-lc', 'ls'],
        ['zsh', '-lc', 'ls'],
      ],
      false,
    );
  });
});
