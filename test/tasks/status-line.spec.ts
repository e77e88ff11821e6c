import { expect } from 'chai';
import { progressMessage } from '../../src/codex-tools/progress';
import { statusLine } from '../../src/tasks/status-line';
import { waitingLine } from '../../src/tasks/task-store';

describe("a task's statusMessage says what the agent does now", () => {
  const line = (msg: Parameters<typeof progressMessage>[0]) => statusLine(progressMessage(msg)!);

  it('thinking, running a command, applying a patch to N files, writing the answer', () => {
    expect(line({ type: 'task_started' } as never)).to.equal('thinking');
    expect(line({ type: 'exec_command_begin', call_id: 'c', command: ['npm', 'test'], cwd: '/w', parsed_cmd: [] })).to.equal('running npm test');
    expect(line({ type: 'exec_command_end', call_id: 'c', exit_code: 1 } as never)).to.equal('thinking (the last command exited with code 1)');
    const changes = { 'a.txt': { add: { content: 'x' } }, 'b.txt': { delete: {} }, 'c.txt': { update: { unified_diff: '', move_path: null } } };
    expect(line({ type: 'patch_apply_begin', call_id: 'c', auto_approved: false, changes } as never)).to.equal('applying a patch to 3 files');
    expect(line({ type: 'patch_apply_begin', call_id: 'c', auto_approved: false, changes: { 'a.txt': { add: { content: '' } } } } as never)).to.equal('applying a patch to 1 file');
    expect(statusLine('answer streaming')).to.equal('writing the answer');
  });

  it('while an approval is out: the first line of its question', () => {
    expect(waitingLine('Allow Codex to apply these changes?\n  add a.txt')).to.equal('waiting for approval: Allow Codex to apply these changes?');
  });
});
