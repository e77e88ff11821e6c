import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('gitDiffToRemote (WIRE.md §5.11)', function () {
  let dir: string;
  let home: TempHome;
  let client: McpTestClient;

  before(function () {
    if (!hasGit()) {
      console.log('      skipped: git is not installed');
      this.skip();
    }
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-git-'));
    home = new TempHome();
    client = McpTestClient.spawn({ home: home.path });
  });

  afterEach(async () => {
    await client.close();
    home.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('diffs tracked changes and untracked files against the pushed commit', async () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    const remote = join(dir, 'remote.git');
    const repo = join(dir, 'repo');
    git(dir, 'init', '--bare', remote);
    git(dir, 'init', repo);
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '-m', 'first');
    git(repo, 'remote', 'add', 'origin', remote);
    git(repo, 'push', '-u', 'origin', 'HEAD:main');
    git(repo, 'branch', '--set-upstream-to=origin/main');
    const sha = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n');
    writeFileSync(join(repo, 'b.txt'), 'new\n');
    // A FIFO the model made is left out: a git that reads FIFOs in `--no-index` would wait on it for ever.
    execFileSync('mkfifo', [join(repo, 'pipe')]);
    const reply = await client.request('gitDiffToRemote', { cwd: repo });
    expect(reply.result.sha).to.equal(sha);
    expect(reply.result.diff).to.match(/^diff --git a\/a\.txt b\/a\.txt\nindex [0-9a-f]+\.\.[0-9a-f]+ 100644\n--- a\/a\.txt\n\+\+\+ b\/a\.txt\n@@ -1 \+1,2 @@\n one\n\+two\n/);
    expect(reply.result.diff).to.match(
      /diff --git a\/b\.txt b\/b\.txt\nnew file mode 100644\nindex 0000000\.\.[0-9a-f]+\n--- \/dev\/null\n\+\+\+ b\/b\.txt\n@@ -0,0 \+1 @@\n\+new\n$/,
    );
    expect(reply.result.diff).not.to.contain('pipe');
  });

  it("runs none of the repository's config commands: fsmonitor, hooks, external diff, filters, textconv, pager", async () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    const remote = join(dir, 'remote.git');
    const repo = join(dir, 'repo');
    const markers = join(dir, 'markers');
    mkdirSync(markers);
    git(dir, 'init', '--bare', remote);
    git(dir, 'init', repo);
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    writeFileSync(join(repo, '.gitattributes'), '*.txt filter=evil diff=evil\n');
    git(repo, 'add', 'a.txt', '.gitattributes');
    git(repo, 'commit', '-m', 'first');
    git(repo, 'remote', 'add', 'origin', remote);
    git(repo, 'push', '-u', 'origin', 'HEAD:main');
    git(repo, 'branch', '--set-upstream-to=origin/main');
    // Every hook git might run during a read-only diff, each touching its own marker.
    const hooks = join(dir, 'hooks');
    mkdirSync(hooks);
    for (const name of ['post-index-change', 'reference-transaction', 'post-checkout', 'fsmonitor-watchman']) {
      writeFileSync(join(hooks, name), `#!/bin/sh\ntouch ${join(markers, name)}\n`);
      chmodSync(join(hooks, name), 0o755);
    }
    git(repo, 'config', 'core.fsmonitor', `touch ${join(markers, 'fsmonitor')}; false`);
    git(repo, 'config', 'core.hooksPath', hooks);
    git(repo, 'config', 'diff.external', `touch ${join(markers, 'diff-external')}`);
    git(repo, 'config', 'diff.evil.command', `touch ${join(markers, 'diff-driver')}`);
    git(repo, 'config', 'diff.evil.textconv', `touch ${join(markers, 'textconv')}; cat`);
    git(repo, 'config', 'filter.evil.clean', `touch ${join(markers, 'clean')}; cat`);
    git(repo, 'config', 'filter.evil.smudge', `touch ${join(markers, 'smudge')}; cat`);
    git(repo, 'config', 'core.pager', `touch ${join(markers, 'pager')}; cat`);
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n');
    writeFileSync(join(repo, 'b.txt'), 'new\n');
    // A FIFO the model made is left out: a git that reads FIFOs in `--no-index` would wait on it for ever.
    execFileSync('mkfifo', [join(repo, 'pipe')]);
    const reply = await client.request('gitDiffToRemote', { cwd: repo });
    expect(reply.result?.diff, JSON.stringify(reply)).to.contain('+two\n');
    expect(readdirSync(markers), 'commands from the repository config ran').to.deep.equal([]);
    expect(existsSync(join(markers, 'fsmonitor'))).to.equal(false);
  });

  it('answers the 0.29 error for a folder that is not a repository', async () => {
    const reply = await client.request('gitDiffToRemote', { cwd: dir });
    expect(reply.error).to.deep.equal({ code: -32600, message: `failed to compute git diff to remote for cwd: ${JSON.stringify(dir)}` });
  });
});
