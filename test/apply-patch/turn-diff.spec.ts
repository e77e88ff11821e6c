import { expect } from 'chai';
import { chmodSync, readFileSync } from 'fs';
import { applyPlan, gitBlobSha1, TurnDiffTracker, verifyPatch } from '../../src/apply-patch';
import { specFixture, TempDir } from './helpers';

interface EventMsg {
  type: string;
  unified_diff?: string;
  changes?: Record<string, unknown>;
}

/** Every `msg` of the given type in a transcript, whichever envelope carried it. */
function transcriptEvents(file: string, type: string): EventMsg[] {
  const out: EventMsg[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { dir: string; msg?: { params?: { msg?: EventMsg } } };
    const msg = entry.msg?.params?.msg;
    if (entry.dir === 's2c' && msg?.type === type) out.push(msg);
  }
  return out;
}

/** Plans, tracks and applies one patch the way the tool layer will. */
async function run(tracker: TurnDiffTracker, cwd: string, patch: string): Promise<Record<string, unknown>> {
  const v = await verifyPatch(['apply_patch', patch], cwd);
  if (v.status !== 'ok') throw new Error(`patch did not verify: ${JSON.stringify(v)}`);
  tracker.trackPatch(v.plan);
  await applyPlan(v.plan);
  return v.plan.changes;
}

describe('apply_patch TurnDiffTracker', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  it('computes git blob ids', () => {
    expect(gitBlobSha1('hello\n')).to.equal('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha1('')).to.equal('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('matches the turn_diff and changes of apply-patch-approved.jsonl', async function () {
    const file = specFixture('transcripts/apply-patch-approved.jsonl');
    // The transcript's cwd is <tmp>/work with greet.txt = "hello\n" (blob ce0136...).
    dir = new TempDir({ 'greet.txt': 'hello\n' }, 'work');
    const tracker = new TurnDiffTracker();
    expect(await tracker.unifiedDiff()).to.equal('');
    const changes = await run(
      tracker,
      dir.path,
      '*** Begin Patch\n*** Add File: hello.txt\n+hello world\n*** Update File: greet.txt\n@@\n-hello\n+hello, patched\n*** End Patch\n',
    );
    const sub = (s: string): string => s.split('<tmp>').join(dir.root);
    const [request] = transcriptEvents(file, 'apply_patch_approval_request');
    expect(JSON.parse(sub(JSON.stringify(request.changes)))).to.deep.equal(changes);
    const diffs = transcriptEvents(file, 'turn_diff');
    expect(diffs).to.have.length.greaterThan(0);
    expect(await tracker.unifiedDiff()).to.equal(sub(diffs[0].unified_diff!));
  });

  it('matches the add-only turn_diff of codex-tool-patch.jsonl', async function () {
    const file = specFixture('transcripts/codex-tool-patch.jsonl');
    dir = new TempDir({}, 'work');
    const tracker = new TurnDiffTracker();
    await run(tracker, dir.path, '*** Begin Patch\n*** Add File: hello.txt\n+hello world\n*** End Patch');
    const [diff] = transcriptEvents(file, 'turn_diff');
    expect(await tracker.unifiedDiff()).to.equal(diff.unified_diff!.split('<tmp>').join(dir.root));
  });

  it('is cumulative over the turn and relative to the first baseline', async () => {
    const original = '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n';
    dir = new TempDir({ 'f.txt': original });
    const tracker = new TurnDiffTracker({ displayRoot: dir.path });
    await run(tracker, dir.path, '*** Begin Patch\n*** Update File: f.txt\n@@\n-2\n+two\n*** End Patch');
    await run(tracker, dir.path, '*** Begin Patch\n*** Update File: f.txt\n@@\n-11\n+eleven\n*** End Patch');
    expect(await tracker.unifiedDiff()).to.equal(
      'diff --git a/f.txt b/f.txt\n' +
        `index ${gitBlobSha1(original)}..${gitBlobSha1(original.replace('2\n', 'two\n').replace('11\n', 'eleven\n'))}\n` +
        '--- a/f.txt\n+++ b/f.txt\n' +
        '@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n' +
        '@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+eleven\n 12\n',
    );
    // Changing it back leaves no net change for the turn.
    await run(tracker, dir.path, '*** Begin Patch\n*** Update File: f.txt\n@@\n-two\n+2\n@@\n-eleven\n+11\n*** End Patch');
    expect(await tracker.unifiedDiff()).to.equal('');
  });

  it('renders deletes, moves and mode changes', async () => {
    dir = new TempDir({ 'gone.txt': 'bye\n', 'old/name.txt': 'content\n', 'x.sh': 'x\n' });
    const tracker = new TurnDiffTracker({ displayRoot: dir.path });
    await run(tracker, dir.path, '*** Begin Patch\n*** Delete File: gone.txt\n*** Update File: old/name.txt\n*** Move to: new/name.txt\n@@\n-content\n+moved\n*** End Patch');
    await run(tracker, dir.path, '*** Begin Patch\n*** Update File: x.sh\n@@\n-x\n+y\n*** End Patch');
    chmodSync(dir.abs('x.sh'), 0o755);
    expect(await tracker.unifiedDiff()).to.equal(
      'diff --git a/gone.txt b/gone.txt\n' +
        'deleted file mode 100644\n' +
        `index ${gitBlobSha1('bye\n')}..0000000000000000000000000000000000000000\n` +
        '--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' +
        'diff --git a/old/name.txt b/new/name.txt\n' +
        `index ${gitBlobSha1('content\n')}..${gitBlobSha1('moved\n')}\n` +
        '--- a/old/name.txt\n+++ b/new/name.txt\n@@ -1 +1 @@\n-content\n+moved\n' +
        'diff --git a/x.sh b/x.sh\n' +
        'old mode 100644\nnew mode 100755\n' +
        `index ${gitBlobSha1('x\n')}..${gitBlobSha1('y\n')}\n` +
        '--- a/x.sh\n+++ b/x.sh\n@@ -1 +1 @@\n-x\n+y\n',
    );
  });

  it('shows a new empty file without hunks, like git', async () => {
    dir = new TempDir();
    const tracker = new TurnDiffTracker({ displayRoot: dir.path });
    await run(tracker, dir.path, '*** Begin Patch\n*** Add File: empty.txt\n*** End Patch');
    expect(await tracker.unifiedDiff()).to.equal(
      'diff --git a/empty.txt b/empty.txt\nnew file mode 100644\n' + 'index 0000000000000000000000000000000000000000..e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n',
    );
  });
});
