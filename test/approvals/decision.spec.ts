import { expect } from 'chai';
import {
  EXEC_REJECTED_BY_USER,
  PATCH_REJECTED_BY_USER,
  PATCH_REJECTED_OUTSIDE_PROJECT,
  decideExec,
  decidePatch,
  type ExecDecision,
  type PatchDecision,
} from '../../src/approvals/decision';
import type { ApprovalPolicy, SandboxMode } from '../../src/config/config-schema';

/**
 * APPROVAL.md §3, copied cell by cell (the "(flag ignored)", "(no ask)" and "(patch)" remarks
 * dropped; "(exit 1 reported, no ask)" is auto).
 */
const TABLE: Array<[ApprovalPolicy, SandboxMode, string, string, string, string, string, string, string]> = [
  // policy, sandbox, safe, other (in cwd), other (outside roots), escalated, plain failure, patch inside, patch outside
  ['untrusted', 'read-only', 'auto', 'ask', 'ask', 'ask', 'auto', 'ask', 'ask'],
  ['untrusted', 'workspace-write', 'auto', 'ask', 'ask', 'ask', 'auto', 'ask', 'ask'],
  ['untrusted', 'danger-full-access', 'auto', 'ask', 'ask', 'ask', 'auto', 'ask', 'ask'],
  ['on-failure', 'read-only', 'auto', 'sbx→ask', 'sbx→ask', 'sbx→ask', 'auto', 'sbx→ask', 'sbx→ask'],
  ['on-failure', 'workspace-write', 'auto', 'auto-sbx', 'sbx→ask', 'auto-sbx', 'auto', 'auto-sbx', 'sbx→ask'],
  ['on-failure', 'danger-full-access', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'],
  ['on-request', 'read-only', 'auto', 'sbx-fail', 'sbx-fail', 'ask', 'auto', 'ask', 'ask'],
  ['on-request', 'workspace-write', 'auto', 'auto-sbx', 'sbx-fail', 'ask', 'auto', 'auto-sbx', 'ask'],
  ['on-request', 'danger-full-access', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'],
  ['never', 'read-only', 'auto', 'sbx-fail', 'sbx-fail', 'sbx-fail', 'auto', 'reject', 'reject'],
  ['never', 'workspace-write', 'auto', 'auto-sbx', 'sbx-fail', 'auto-sbx', 'auto', 'auto-sbx', 'reject'],
  ['never', 'danger-full-access', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'],
];

/**
 * Whether an exec decision produces the measured cell. `auto-sbx` cells never met a denial, so only
 * the sandbox is checked; the outside-roots column, which has the same inputs, pins the denial path.
 */
function execMatches(cell: string, decision: ExecDecision): boolean {
  switch (cell) {
    case 'auto':
      return decision.kind === 'run' && !decision.sandbox;
    case 'auto-sbx':
      return decision.kind === 'run' && decision.sandbox;
    case 'sbx→ask':
      return decision.kind === 'run' && decision.sandbox && decision.onSandboxDenial === 'ask';
    case 'sbx-fail':
      return decision.kind === 'run' && decision.sandbox && decision.onSandboxDenial === 'report';
    case 'ask':
      return decision.kind === 'ask';
    default:
      throw new Error(`unknown exec cell ${cell}`);
  }
}

/**
 * Whether a patch decision produces the measured cell. agentwire asks its patch approval up front
 * where 0.29 let the write fail in the sandbox first (sbx→ask): WIRE.md §10b.
 */
function patchMatches(cell: string, decision: PatchDecision, sandbox: SandboxMode): boolean {
  switch (cell) {
    case 'auto':
      return decision.kind === 'apply' && decision.autoApproved && (sandbox !== 'danger-full-access' || decision.sandboxFailure === 'none');
    case 'auto-sbx':
      return decision.kind === 'apply' && decision.autoApproved && decision.sandboxFailure !== 'none';
    case 'sbx→ask':
    case 'ask':
      return decision.kind === 'ask';
    case 'reject':
      return decision.kind === 'reject' && decision.message === PATCH_REJECTED_OUTSIDE_PROJECT;
    default:
      throw new Error(`unknown patch cell ${cell}`);
  }
}

describe('decideExec and decidePatch: the APPROVAL.md §3 table', () => {
  for (const [policy, sandboxMode, safe, inCwd, outside, escalated, plainFailure, patchInside, patchOutside] of TABLE) {
    describe(`${policy} + ${sandboxMode}`, () => {
      const exec = (over: { safe?: boolean; escalated?: boolean }): ExecDecision =>
        decideExec({ policy, sandboxMode, safe: false, escalated: false, approvedForSession: false, ...over });
      const cells: Array<[string, string, ExecDecision]> = [
        ['safe', safe, exec({ safe: true })],
        ['other (in cwd)', inCwd, exec({})],
        ['other (outside roots)', outside, exec({})],
        ['escalated', escalated, exec({ escalated: true })],
        // `false` is known-safe; a plain exit is simply reported because it never ran sandboxed.
        ['plain failure', plainFailure, exec({ safe: true })],
      ];
      for (const [column, cell, decision] of cells) {
        it(`${column}: ${cell}`, () => {
          expect(execMatches(cell, decision), JSON.stringify(decision)).to.equal(true);
        });
      }
      const patchCells: Array<[string, string, PatchDecision]> = [
        ['patch inside', patchInside, decidePatch({ policy, sandboxMode, allWithinRoots: true })],
        ['patch outside', patchOutside, decidePatch({ policy, sandboxMode, allWithinRoots: false })],
      ];
      for (const [column, cell, decision] of patchCells) {
        it(`${column}: ${cell}`, () => {
          expect(patchMatches(cell, decision, sandboxMode), JSON.stringify(decision)).to.equal(true);
        });
      }
    });
  }
});

describe('decideExec', () => {
  const policies: ApprovalPolicy[] = ['untrusted', 'on-failure', 'on-request', 'never'];
  const modes: SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

  it('runs an argv approved for the session unsandboxed under every policy and mode', () => {
    for (const policy of policies) {
      for (const sandboxMode of modes) {
        for (const escalated of [false, true]) {
          expect(decideExec({ policy, sandboxMode, safe: false, escalated, approvedForSession: true })).to.deep.equal({ kind: 'run', sandbox: false });
        }
      }
    }
  });

  it('runs a known-safe command unsandboxed even when escalated', () => {
    for (const policy of policies) {
      for (const sandboxMode of modes) {
        expect(decideExec({ policy, sandboxMode, safe: true, escalated: true, approvedForSession: false })).to.deep.equal({ kind: 'run', sandbox: false });
      }
    }
  });

  it('gives the exact shapes of the sandboxed runs', () => {
    expect(decideExec({ policy: 'on-failure', sandboxMode: 'read-only', safe: false, escalated: true, approvedForSession: false })).to.deep.equal({
      kind: 'run',
      sandbox: true,
      onSandboxDenial: 'ask',
    });
    expect(decideExec({ policy: 'on-request', sandboxMode: 'workspace-write', safe: false, escalated: false, approvedForSession: false })).to.deep.equal({
      kind: 'run',
      sandbox: true,
      onSandboxDenial: 'report',
    });
    expect(decideExec({ policy: 'never', sandboxMode: 'workspace-write', safe: false, escalated: true, approvedForSession: false })).to.deep.equal({
      kind: 'run',
      sandbox: true,
      onSandboxDenial: 'report',
    });
  });
});

describe('decidePatch', () => {
  it('asks under untrusted even for a patch inside the roots, in every mode', () => {
    for (const sandboxMode of ['read-only', 'workspace-write', 'danger-full-access'] as const) {
      expect(decidePatch({ policy: 'untrusted', sandboxMode, allWithinRoots: true })).to.deep.equal({ kind: 'ask' });
    }
  });

  it("applies inside the workspace with the policy's sandbox follow-up", () => {
    expect(decidePatch({ policy: 'on-failure', sandboxMode: 'workspace-write', allWithinRoots: true })).to.deep.equal({ kind: 'apply', autoApproved: true, sandboxFailure: 'ask' });
    expect(decidePatch({ policy: 'on-request', sandboxMode: 'workspace-write', allWithinRoots: true })).to.deep.equal({
      kind: 'apply',
      autoApproved: true,
      sandboxFailure: 'report',
    });
    expect(decidePatch({ policy: 'never', sandboxMode: 'workspace-write', allWithinRoots: true })).to.deep.equal({ kind: 'apply', autoApproved: true, sandboxFailure: 'report' });
  });

  it('applies anything under danger-full-access, with no sandbox involved', () => {
    for (const policy of ['on-failure', 'on-request', 'never'] as const) {
      expect(decidePatch({ policy, sandboxMode: 'danger-full-access', allWithinRoots: false })).to.deep.equal({ kind: 'apply', autoApproved: true, sandboxFailure: 'none' });
    }
  });

  it('treats read-only as having no roots whatever allWithinRoots says', () => {
    expect(decidePatch({ policy: 'never', sandboxMode: 'read-only', allWithinRoots: true })).to.deep.equal({
      kind: 'reject',
      message: 'patch rejected: writing outside of the project; rejected by user approval settings',
    });
    expect(decidePatch({ policy: 'on-failure', sandboxMode: 'read-only', allWithinRoots: true })).to.deep.equal({ kind: 'ask' });
    expect(decidePatch({ policy: 'on-request', sandboxMode: 'read-only', allWithinRoots: true })).to.deep.equal({ kind: 'ask' });
  });
});

describe('model-facing texts', () => {
  it('are the exact 0.29 strings', () => {
    expect(EXEC_REJECTED_BY_USER).to.equal('exec command rejected by user');
    expect(PATCH_REJECTED_BY_USER).to.equal('patch rejected by user');
    expect(PATCH_REJECTED_OUTSIDE_PROJECT).to.equal('patch rejected: writing outside of the project; rejected by user approval settings');
  });
});
