import { expect } from 'chai';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigDerivationError } from '../../src/config/derivation-error';
import {
  BUILT_IN_INSTRUCTIONS,
  formatEnvironmentContext,
  formatUserInstructions,
  readInstructionsFile,
  readProjectDocs,
  readUserInstructions,
} from '../../src/config/instructions';
import { TempHome } from '../support/temp-home';

describe('instructions (CONFIG.md §4)', () => {
  let home: TempHome;
  let work: TempHome;
  beforeEach(() => {
    home = new TempHome();
    work = new TempHome();
  });
  afterEach(() => {
    home.remove();
    work.remove();
  });

  /** A git repo at `<work>/repo` with AGENTS.md files at the given relative folders. */
  function repo(docs: Record<string, string>): string {
    const root = join(work.path, 'repo');
    mkdirSync(join(root, '.git'), { recursive: true });
    for (const [dir, text] of Object.entries(docs)) work.write(join('repo', dir, 'AGENTS.md'), text);
    return root;
  }

  it('matches the example: home doc, then root, mid and cwd docs', () => {
    home.write('AGENTS.md', 'HOME-DOC\n');
    const root = repo({ '.': 'ROOT-DOC\n', sub: 'MID-DOC\n', 'sub/deeper': 'CWD-DOC\n' });
    const text = readUserInstructions({ home: home.path, cwd: join(root, 'sub', 'deeper') });
    expect(formatUserInstructions(text!)).to.equal('<user_instructions>\n\nHOME-DOC\n\n--- project-doc ---\n\nROOT-DOC\n\n\nMID-DOC\n\n\nCWD-DOC\n\n\n</user_instructions>');
  });

  it('skips folders without AGENTS.md and gives the docs alone when there is no home doc', () => {
    const root = repo({ '.': 'ROOT\n', 'a/b': 'B\n' });
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    expect(readUserInstructions({ home: home.path, cwd: join(root, 'a', 'b', 'c') })).to.equal('ROOT\n\n\nB\n');
  });

  it('gives the trimmed home doc alone when there are no project docs', () => {
    home.write('AGENTS.md', '\n  be brief  \n\n');
    expect(readUserInstructions({ home: home.path, cwd: work.path })).to.equal('be brief');
  });

  it('skips a blank home doc', () => {
    home.write('AGENTS.md', '  \n\t\n');
    expect(readUserInstructions({ home: home.path, cwd: work.path })).to.equal(undefined);
    const root = repo({ '.': 'ROOT\n' });
    expect(readUserInstructions({ home: home.path, cwd: root })).to.equal('ROOT\n');
  });

  it('reads only the budget of a huge AGENTS.md (the model can write one: a whole read held the event loop)', () => {
    // 3 GiB, sparse: the old whole-file read failed on it (larger than a Buffer may be) and
    // skipped the file, after seconds of reading smaller ones.
    const root = repo({ '.': 'ROOT\n' });
    const doc = join(root, 'AGENTS.md');
    writeFileSync(doc, 'HUGE');
    truncateSync(doc, 3 * 1024 * 1024 * 1024);
    expect(readProjectDocs(root, 8)).to.equal('HUGE\0\0\0\0');
  });

  it('shares the byte cap between files: 40 gives 31 + 8 + 1', () => {
    const first = 'R'.repeat(30) + '\n';
    const root = repo({ '.': first, sub: 'MIDMID.\n', 'sub/deeper': 'CWDCWD.\n' });
    expect(Buffer.byteLength(first)).to.equal(31);
    const cwd = join(root, 'sub', 'deeper');
    expect(readProjectDocs(cwd, 40)).to.equal(`${first}\n\nMIDMID.\n\n\nC`);
    expect(readProjectDocs(cwd, 20)).to.equal('R'.repeat(20));
  });

  it('disables project docs with a cap of 0 but keeps the home doc', () => {
    home.write('AGENTS.md', 'HOME\n');
    const root = repo({ '.': 'ROOT\n' });
    expect(readUserInstructions({ home: home.path, cwd: root, projectDocMaxBytes: 0 })).to.equal('HOME');
    expect(readUserInstructions({ home: home.path, cwd: root, projectDocMaxBytes: 32768 })).to.equal('HOME\n\n--- project-doc ---\n\nROOT\n');
  });

  it('cuts at the default cap of 32768 bytes', () => {
    const root = repo({ '.': 'x'.repeat(40000) });
    expect(readProjectDocs(root)).to.have.length(32768);
  });

  it('never cuts a character in half, and a cut file ends the docs', () => {
    const root = repo({ '.': 'ab\u20ac', sub: 'more\n' });
    expect(readProjectDocs(join(root, 'sub'), 4)).to.equal('ab');
    expect(readProjectDocs(join(root, 'sub'), 5)).to.equal('ab\u20ac');
    expect(readProjectDocs(join(root, 'sub'), 6)).to.equal('ab\u20ac\n\nm');
  });

  it('reads nothing above the git root, and only the cwd outside a repo', () => {
    work.write('AGENTS.md', 'ABOVE\n');
    const root = repo({ '.': 'ROOT\n' });
    expect(readProjectDocs(root)).to.equal('ROOT\n');

    work.write('plain/AGENTS.md', 'PARENT\n');
    work.write('plain/child/AGENTS.md', 'CHILD\n');
    expect(readProjectDocs(join(work.path, 'plain', 'child'))).to.equal('CHILD\n');
  });

  it('treats a .git file (worktree) as a root and a missing cwd as no docs', () => {
    work.write('wt/.git', 'gitdir: /elsewhere\n');
    work.write('wt/AGENTS.md', 'WT\n');
    work.write('wt/x/AGENTS.md', 'X\n');
    expect(readProjectDocs(join(work.path, 'wt', 'x'))).to.equal('WT\n\n\nX\n');
    expect(readProjectDocs(join(work.path, 'missing'))).to.equal(undefined);
  });

  it('reads experimental_instructions_file trimmed, relative to the process cwd', () => {
    work.write('prompt.md', '\n  SYSTEM  \n');
    expect(readInstructionsFile('prompt.md', work.path)).to.equal('SYSTEM');
    expect(readInstructionsFile(join(work.path, 'prompt.md'), '/')).to.equal('SYSTEM');
  });

  it('refuses a missing or blank instructions file', () => {
    expect(() => readInstructionsFile('nope.md', work.path))
      .to.throw(ConfigDerivationError)
      .that.satisfies((e: Error) => e.message.startsWith(`failed to read experimental instructions file ${join(work.path, 'nope.md')}`));
    work.write('blank.md', ' \n');
    expect(() => readInstructionsFile('blank.md', work.path)).to.throw(/experimental instructions file is empty/);
  });

  it('formats the environment context exactly as 0.29', () => {
    expect(formatEnvironmentContext({ cwd: '/tmp/work', approvalPolicy: 'never', sandboxMode: 'danger-full-access', networkAccess: true })).to.equal(
      '<environment_context>\n  <cwd>/tmp/work</cwd>\n  <approval_policy>never</approval_policy>\n  <sandbox_mode>danger-full-access</sandbox_mode>\n  <network_access>enabled</network_access>\n</environment_context>',
    );
    expect(formatEnvironmentContext({ cwd: '/w', approvalPolicy: 'on-request', sandboxMode: 'read-only', networkAccess: false })).to.contain(
      '<network_access>restricted</network_access>',
    );
  });

  it('has a built-in prompt that teaches shell and apply_patch', () => {
    expect(BUILT_IN_INSTRUCTIONS).to.contain('*** Begin Patch').and.contain('"apply_patch"').and.contain('`shell`');
  });
});
