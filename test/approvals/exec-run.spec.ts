import { expect } from 'chai';
import { decideExec, decideExecRun } from '../../src/approvals/decision';
import type { ApprovalPolicy, SandboxMode } from '../../src/config/config-schema';

const POLICIES: ApprovalPolicy[] = ['untrusted', 'on-failure', 'on-request', 'never'];
const MODES: SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

describe('decideExecRun: known-safe means no approval, not no sandbox (APPROVAL.md §4)', () => {
  it('never asks about a known-safe command, and runs it in the sandbox unless danger-full-access', () => {
    for (const policy of POLICIES) {
      for (const sandboxMode of MODES) {
        for (const escalated of [false, true]) {
          const d = decideExecRun({ policy, sandboxMode, safe: true, escalated, approvedForSession: false });
          const where = `${policy} × ${sandboxMode}`;
          if (sandboxMode === 'danger-full-access') {
            expect(d, where).to.deep.equal({ kind: 'run', sandbox: false });
          } else {
            const onSandboxDenial = policy === 'untrusted' || policy === 'on-failure' ? 'ask' : 'report';
            expect(d, where).to.deep.equal({ kind: 'run', sandbox: true, onSandboxDenial });
          }
        }
      }
    }
  });

  it('runs a known-safe argv the client approved for the session as approved: unsandboxed', () => {
    for (const policy of POLICIES) {
      for (const sandboxMode of MODES) {
        expect(decideExecRun({ policy, sandboxMode, safe: true, escalated: false, approvedForSession: true })).to.deep.equal({ kind: 'run', sandbox: false });
      }
    }
  });

  it('decides every other command exactly as the measured table (decideExec)', () => {
    for (const policy of POLICIES) {
      for (const sandboxMode of MODES) {
        for (const escalated of [false, true]) {
          for (const approvedForSession of [false, true]) {
            const input = { policy, sandboxMode, safe: false, escalated, approvedForSession };
            expect(decideExecRun(input)).to.deep.equal(decideExec(input));
          }
        }
      }
    }
  });

  it('asks in exactly the cases decideExec asks', () => {
    for (const policy of POLICIES) {
      for (const sandboxMode of MODES) {
        for (const safe of [false, true]) {
          for (const escalated of [false, true]) {
            const input = { policy, sandboxMode, safe, escalated, approvedForSession: false };
            expect(decideExecRun(input).kind).to.equal(decideExec(input).kind);
          }
        }
      }
    }
  });
});
