import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { createShellTool } from '../../src/agent-tools/shell-tool';
import type { ApprovalOutcome } from '../../src/approvals/approval-requests';
import { EXEC_REJECTED_BY_USER } from '../../src/approvals/decision';
import { AgentwireConfig } from '../../src/config/config';
import type { ApprovalPolicy, SandboxMode } from '../../src/config/config-schema';
import { deriveSettings } from '../../src/config/derive-settings';
import type { TurnContext } from '../../src/conversations/agent-tool';
import { TurnAbortedError } from '../../src/conversations/errors';
import { SandboxProbe } from '../../src/exec/sandbox';
import type { EventMsg } from '../../src/protocol/events';
import type { FunctionCallItem } from '../../src/protocol/items';
import { ProcessGroups } from '../../src/process/process-groups';

/**
 * The shell tool (shell-run.ts) in this process, with a sinon-stubbed SandboxProbe (the sandbox
 * service: here it reports bubblewrap unavailable, so nothing needs bwrap) and a stubbed approval
 * provider. Commands that the policy lets run unsandboxed are real child processes (node -e).
 */
describe('engine: the shell tool with stubbed sandbox and approvals', () => {
  const sandbox = sinon.createSandbox();
  let work: string;
  let groups: ProcessGroups;
  let probe: sinon.SinonStubbedInstance<SandboxProbe>;
  let approve: sinon.SinonStub;
  let emitted: EventMsg[];

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'agentwire-shell-tool-'));
    groups = new ProcessGroups();
    probe = sandbox.createStubInstance(SandboxProbe);
    probe.probe.resolves({ available: false, reason: 'stubbed: bubblewrap is not there' });
    approve = sandbox.stub<[unknown], Promise<ApprovalOutcome>>().resolves({ decision: 'approved' });
    emitted = [];
  });
  afterEach(() => {
    groups.killAll();
    sandbox.restore();
    rmSync(work, { recursive: true, force: true });
  });

  const tool = () =>
    createShellTool({
      groups,
      probe: () => probe,
      approvals: <Req>() => ({ request: (req: Req) => approve(req) }) as never,
    });

  const context = (approvalPolicy: ApprovalPolicy, sandboxMode: SandboxMode, approvedForSession = new Set<string>()): TurnContext => {
    const settings = deriveSettings(AgentwireConfig.fromTree(join(work, 'home'), {}), { cwd: work, approvalPolicy, sandbox: sandboxMode }, {});
    let n = 0;
    return {
      conversationId: 'c1',
      submissionId: '1',
      settings,
      signal: new AbortController().signal,
      origin: { kind: 'conversation' },
      emit: (msg) => emitted.push(msg),
      takeSubmissionId: () => String(++n + 1),
      approvedForSession,
      addInput: () => undefined,
      state: new Map(),
      beforeComplete: () => undefined,
    };
  };
  const call = (args: unknown): FunctionCallItem => ({ type: 'function_call', id: null, name: 'shell', call_id: 'call-1', arguments: JSON.stringify(args) });
  const types = () => emitted.map((e) => e.type);
  const NODE_PRINT = ['node', '-e', 'process.stdout.write("out")'];

  it('never × danger-full-access: runs the command unsandboxed, with begin/end events and the output for the model', async () => {
    const output = await tool().handle(call({ command: NODE_PRINT }), context('never', 'danger-full-access'));
    expect(JSON.parse(output)).to.deep.include({ output: 'out' });
    expect(JSON.parse(output).metadata.exit_code).to.equal(0);
    expect(types()).to.deep.equal(['exec_command_begin', 'exec_command_output_delta', 'exec_command_end']);
    expect(probe.probe.called).to.equal(false);
    expect(approve.called).to.equal(false);
  });

  it('on-failure × workspace-write, sandbox unavailable: asks to retry without it, then runs', async () => {
    const output = await tool().handle(call({ command: NODE_PRINT }), context('on-failure', 'workspace-write'));
    expect(probe.probe.called).to.equal(true);
    expect(approve.calledOnce).to.equal(true);
    expect(approve.firstCall.args[0]).to.include({ reason: 'command failed in the sandbox; retry without it?' });
    expect(JSON.parse(output).output).to.equal('out');
    const background = emitted.filter((e) => e.type === 'background_event').map((e) => (e as { message: string }).message);
    expect(background[0]).to.match(/^Execution failed: sandbox unavailable: stubbed: bubblewrap is not there/);
    expect(background).to.include('retrying command without sandbox');
  });

  it('never × workspace-write, sandbox unavailable: reports the failure to the model without asking', async () => {
    const output = await tool().handle(call({ command: NODE_PRINT }), context('never', 'workspace-write'));
    expect(output).to.match(/^failed in sandbox: sandbox unavailable/);
    expect(approve.called).to.equal(false);
  });

  it('untrusted, a command not known to be safe: a denial runs nothing', async () => {
    approve.resolves({ decision: 'denied' });
    const output = await tool().handle(call({ command: NODE_PRINT }), context('untrusted', 'workspace-write'));
    expect(output).to.equal(EXEC_REJECTED_BY_USER);
    expect(types()).to.deep.equal(['exec_approval_request']);
  });

  it('approved_for_session: the same argv is not asked again in the conversation', async () => {
    approve.resolves({ decision: 'approved_for_session' });
    const session = new Set<string>();
    await tool().handle(call({ command: NODE_PRINT }), context('untrusted', 'danger-full-access', session));
    await tool().handle(call({ command: NODE_PRINT }), context('untrusted', 'danger-full-access', session));
    expect(approve.calledOnce).to.equal(true);
    expect(session.has(JSON.stringify(NODE_PRINT))).to.equal(true);
  });

  it('an abort answer ends the turn (TurnAbortedError)', async () => {
    approve.resolves({ decision: 'abort' });
    const err = await tool()
      .handle(call({ command: NODE_PRINT }), context('untrusted', 'workspace-write'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(TurnAbortedError);
  });

  it('arguments that are not a command array are an error text for the model', async () => {
    expect(await tool().handle({ ...call({}), arguments: '{not json' }, context('never', 'danger-full-access'))).to.match(/^failed to parse function arguments: /);
    expect(await tool().handle(call({ command: [] }), context('never', 'danger-full-access'))).to.equal(
      'failed to parse function arguments: command must be a non-empty array of strings',
    );
  });

  it('["apply_patch", patch] inside the roots is applied without asking, with patch events', async () => {
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n';
    const output = await tool().handle(call({ command: ['apply_patch', patch] }), context('on-request', 'workspace-write'));
    expect(JSON.parse(output).metadata.exit_code).to.equal(0);
    expect(readFileSync(join(work, 'hello.txt'), 'utf8')).to.equal('hello\n');
    expect(types()).to.deep.equal(['patch_apply_begin', 'patch_apply_end', 'turn_diff']);
    expect(approve.called).to.equal(false);
  });

  it('a patch under read-only asks; a denial writes nothing', async () => {
    approve.resolves({ decision: 'denied' });
    const patch = '*** Begin Patch\n*** Add File: nope.txt\n+no\n*** End Patch\n';
    const output = await tool().handle(call({ command: ['apply_patch', patch] }), context('on-request', 'read-only'));
    expect(output).to.equal('patch rejected by user');
    expect(existsSync(join(work, 'nope.txt'))).to.equal(false);
    expect(types()).to.deep.equal(['apply_patch_approval_request']);
  });
});
