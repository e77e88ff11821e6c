import { expect } from 'chai';
import { readFileSync } from 'fs';
import { applyPatchText, verifyPatch } from '../../src/apply-patch';
import { specFixture, TempDir } from './helpers';

interface MeasuredCase {
  name: string;
  files_before: Record<string, string>;
  patch: string;
  expect: { exit_code: number; stdout: string; stderr: string; files_after: Record<string, string | null> };
  note?: string;
}

const cases = (JSON.parse(readFileSync(specFixture('apply_patch_cases.json'), 'utf8')) as { cases: MeasuredCase[] }).cases;

/**
 * 0.29 leaves earlier hunks applied when a later one fails; agentwire applies all or
 * nothing, so for such a case the files must be exactly as before.
 */
function isPartialWriteCase(c: MeasuredCase): boolean {
  return c.expect.exit_code !== 0 && JSON.stringify(c.expect.files_after) !== JSON.stringify(c.files_before);
}

describe('apply_patch: the 41 measured 0.29 cases (apply_patch_cases.json)', function () {
  it('has all 41 cases', function () {
    expect(cases).to.have.length(41);
  });

  for (const c of cases) {
    const partial = isPartialWriteCase(c);
    const title = partial ? `${c.name}: same exit code and stderr as 0.29, but agentwire leaves every file unchanged instead of 0.29's partial write` : c.name;
    it(title, async function () {
      const dir = new TempDir(c.files_before);
      try {
        const result = await applyPatchText(c.patch, dir.path);
        expect(result.exitCode, 'exit code').to.equal(c.expect.exit_code);
        expect(result.stdout, 'stdout').to.equal(c.expect.stdout);
        expect(result.stderr, 'stderr').to.equal(c.expect.stderr);
        const wanted = partial ? c.files_before : c.expect.files_after;
        expect(dir.listing(), 'files after').to.deep.equal(wanted);
      } finally {
        dir.remove();
      }
    });
  }

  it('verifies every failing case before writing: the tool output is `error: ...` and nothing changes', async function () {
    for (const c of cases.filter((k) => k.expect.exit_code !== 0)) {
      const dir = new TempDir(c.files_before);
      try {
        const v = await verifyPatch(['apply_patch', c.patch], dir.path);
        expect(v.status, c.name).to.equal('invalid');
        if (v.status === 'invalid') expect(v.toolOutput, c.name).to.match(/^error: \S/);
        expect(dir.listing(), c.name).to.deep.equal(c.files_before);
      } finally {
        dir.remove();
      }
    }
  });
});
