import 'reflect-metadata';
import { expect } from 'chai';
import { MAX_DELTA_BYTES_PER_RUN, MAX_DELTA_EVENTS_PER_RUN, runShellCall } from '../../src/agent-tools/shell-run';
import type { TurnContext } from '../../src/conversations/agent-tool';
import { SandboxProbe } from '../../src/exec';
import { ProcessGroups } from '../../src/process/process-groups';
import type { EventMsg } from '../../src/protocol/events';

/*
 * Red-team finding after issue 18 (#9 covered only the client's input): every chunk a command wrote
 * became an exec_command_output_delta, without limit. A model-run `yes` with a long timeout_ms
 * queued events faster than a slow (or paused) client read them: measured, a paused client let the
 * server grow past 4 GB in two minutes. Deltas now stop where 0.29's do (10,000 of at most 8 KiB);
 * the output itself is still captured for the end event.
 */
describe('exec_command_output_delta is bounded per run', () => {
  it('a command writing 200 MB streams at most the delta budget, and the run still ends normally', async function () {
    this.timeout(60_000);
    const deltas = { events: 0, bytes: 0 };
    let end: EventMsg | undefined;
    const ctx = {
      conversationId: 'c',
      submissionId: 's',
      settings: {
        cwd: process.cwd(),
        approvalPolicy: 'never',
        sandboxPolicy: { mode: 'danger-full-access' },
        shellEnvironmentPolicy: { inherit: 'all', ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] },
        approvalTimeoutMs: undefined,
      },
      signal: new AbortController().signal,
      origin: { kind: 'conversation' },
      emit: (msg: EventMsg) => {
        const m = msg as { type: string; chunk?: number[] };
        if (m.type === 'exec_command_output_delta') {
          deltas.events++;
          deltas.bytes += m.chunk!.length;
        } else if (m.type === 'exec_command_end') end = msg;
      },
      takeSubmissionId: () => 's',
      approvedForSession: new Set<string>(),
      addInput: () => undefined,
      state: new Map(),
      beforeComplete: () => undefined,
    } as unknown as TurnContext;
    const deps = { groups: new ProcessGroups(), probe: () => new SandboxProbe(), approvals: () => undefined };
    const call = { type: 'function_call', name: 'shell', call_id: 'y', arguments: JSON.stringify({ command: ['head', '-c', '200000000', '/dev/zero'], timeout_ms: 50_000 }) };
    const output = await runShellCall(deps, call as never, ctx);
    expect(JSON.parse(output).metadata.exit_code).to.equal(0);
    expect(end, 'exec_command_end').not.to.equal(undefined);
    expect(deltas.bytes).to.be.greaterThan(0);
    expect(deltas.bytes).to.be.at.most(MAX_DELTA_BYTES_PER_RUN);
    expect(deltas.events).to.be.at.most(MAX_DELTA_EVENTS_PER_RUN);
  });
});
