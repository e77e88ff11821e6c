import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxProbe } from '../../src/exec';
import { EngineFixture } from '../support/engine-home';

/**
 * Every cell of APPROVAL.md §3, run through a real server: for each policy × sandbox mode × kind
 * of call, whether the client was asked and whether the call took effect. Approvals are answered
 * `approved`. agentwire's documented differences: patches under on-failure are asked with a patch
 * approval (WIRE.md §10b), and a sandbox denial is recognised by its stderr (SANDBOX.md §3).
 */
const TABLE = `
| untrusted | read-only | auto | ask | ask | ask | auto | ask | ask |
| untrusted | workspace-write | auto | ask | ask | ask | auto | ask | ask |
| untrusted | danger-full-access | auto | ask | ask | ask | auto | ask | ask |
| on-failure | read-only | auto | sbx→ask | sbx→ask | sbx→ask | auto | sbx→ask | sbx→ask |
| on-failure | workspace-write | auto | auto-sbx | sbx→ask | auto-sbx | auto | auto-sbx | sbx→ask |
| on-failure | danger-full-access | auto | auto | auto | auto | auto | auto | auto |
| on-request | read-only | auto | sbx-fail | sbx-fail | ask | auto | ask | ask |
| on-request | workspace-write | auto | auto-sbx | sbx-fail | ask | auto | auto-sbx | ask |
| on-request | danger-full-access | auto | auto | auto | auto | auto | auto | auto |
| never | read-only | auto | sbx-fail | sbx-fail | sbx-fail | auto | reject | reject |
| never | workspace-write | auto | auto-sbx | sbx-fail | auto-sbx | auto | auto-sbx | reject |
| never | danger-full-access | auto | auto | auto | auto | auto | auto | auto |`;

const KINDS = ['safe', 'other-in-cwd', 'other-outside', 'escalated', 'plain-failure', 'patch-inside', 'patch-outside'] as const;
type Kind = (typeof KINDS)[number];

describe('the approval decision table (APPROVAL.md §3), end to end', function () {
  let f: EngineFixture;
  let outside: string;
  let bwrap: { available: boolean; reason?: string };

  before(async () => {
    bwrap = await new SandboxProbe().probe();
    if (!bwrap.available) console.log(`      (cells that run in the sandbox are skipped: ${bwrap.reason})`);
    f = await EngineFixture.start({ extra: '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n' });
    outside = mkdtempSync(join(tmpdir(), 'agentwire-outside-'));
    f.client.onRequest('execCommandApproval', () => ({ decision: 'approved' }));
    f.client.onRequest('applyPatchApproval', () => ({ decision: 'approved' }));
  });
  after(async () => {
    await f.close();
    rmSync(outside, { recursive: true, force: true });
  });

  let n = 0;
  function call(kind: Kind): { step: Record<string, unknown>; effect: () => boolean } {
    const name = `f${++n}.txt`;
    const inside = join(f.work, name);
    const out = join(outside, name);
    const shell = (command: string[], extra: Record<string, unknown> = {}) => ({ kind: 'tool_call', name: 'shell', callId: `c${n}`, arguments: { command, ...extra } });
    const patch = (path: string) => shell(['apply_patch', `*** Begin Patch\n*** Add File: ${path}\n+x\n*** End Patch\n`]);
    switch (kind) {
      case 'safe':
        return { step: shell(['ls']), effect: () => true };
      case 'other-in-cwd':
        return { step: shell(['touch', name]), effect: () => existsSync(inside) };
      case 'other-outside':
        return { step: shell(['touch', out]), effect: () => existsSync(out) };
      case 'escalated':
        return { step: shell(['touch', name], { with_escalated_permissions: true, justification: 'needed' }), effect: () => existsSync(inside) };
      case 'plain-failure':
        return { step: shell(['false']), effect: () => true };
      case 'patch-inside':
        return { step: patch(name), effect: () => existsSync(inside) };
      case 'patch-outside':
        return { step: patch(out), effect: () => existsSync(out) };
    }
  }

  for (const line of TABLE.trim().split('\n')) {
    const [policy, sandbox, ...cells] = line
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    KINDS.forEach((kind, i) => {
      const cell = cells[i];
      it(`${policy} × ${sandbox} × ${kind}: ${cell}`, async function () {
        // Known-safe commands (safe, plain-failure) also run in the sandbox outside danger-full-access
        // (APPROVAL.md §4), so without bwrap they are refused or asked about like any other.
        const runsSafeInSandbox = (kind === 'safe' || kind === 'plain-failure') && sandbox !== 'danger-full-access';
        const needsSandbox = (['auto-sbx', 'sbx-fail'].includes(cell) && !kind.startsWith('patch')) || runsSafeInSandbox;
        if (needsSandbox && !bwrap.available) {
          console.log(`      skipped: needs the bubblewrap sandbox (${bwrap.reason})`);
          this.skip();
        }
        const { step, effect } = call(kind);
        f.mock.enqueue(step as never, { kind: 'text', text: 'done' });
        const id = await f.listenedConversation({ approvalPolicy: policy, sandbox });
        await f.send(id, 'go');
        await f.event(id, 'task_complete');
        const asked = f.events(id).some((e) => e.msg.type === 'exec_approval_request' || e.msg.type === 'apply_patch_approval_request');
        const shouldAsk = cell === 'ask' || cell === 'sbx→ask';
        expect(asked, 'asked').to.equal(shouldAsk);
        const shouldHappen = cell !== 'sbx-fail' && cell !== 'reject';
        expect(effect(), 'took effect').to.equal(shouldHappen);
        if (kind === 'plain-failure') {
          const end = f.events(id).find((e) => e.msg.type === 'exec_command_end');
          expect(end?.msg.exit_code, 'plain failure reported as exit 1').to.equal(1);
        }
        if (cell === 'reject') {
          const req = f.mock.requests[f.mock.requests.length - 1];
          const tool = req.body.messages.find((m: { role: string }) => m.role === 'tool');
          expect(tool.content).to.equal('patch rejected: writing outside of the project; rejected by user approval settings');
        }
      });
    });
  }
});
