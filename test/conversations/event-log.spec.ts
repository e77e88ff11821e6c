import { expect } from 'chai';
import sinon from 'sinon';
import { EventLog } from '../../src/conversations/event-log';
import type { RolloutRecorder } from '../../src/conversations/rollout-recorder';

function recorder() {
  return { event: sinon.spy(), endTurn: sinon.spy() };
}

describe('EventLog', () => {
  it('numbers events from one more than the last recorded number', () => {
    const r = recorder();
    const log = new EventLog(r as unknown as RolloutRecorder, 10, 41);
    expect(log.append('0', { type: 'task_started', model_context_window: null }).seq).to.equal(42);
    expect(log.append('0', { type: 'agent_message_delta', delta: 'x' }).seq).to.equal(43);
    expect(log.lastSeq).to.equal(43);
  });

  it('records every event but the streamed pieces, and ends the turn in the rollout (a flush) at a turn end', () => {
    const r = recorder();
    const log = new EventLog(r as unknown as RolloutRecorder, 10);
    log.append('0', { type: 'task_started', model_context_window: null });
    log.append('0', { type: 'agent_message_delta', delta: 'x' });
    log.append('0', { type: 'exec_command_output_delta', call_id: 'c', stream: 'stdout', chunk: [1] });
    expect(r.endTurn.called).to.equal(false);
    log.append('0', { type: 'task_complete', last_agent_message: 'x' });
    expect(r.event.args.map((a) => (a[0] as { msg: { type: string } }).msg.type)).to.deep.equal(['task_started', 'task_complete']);
    expect(r.endTurn.calledOnce).to.equal(true);
  });

  it('keeps the last `capacity` events in order, and gives those after a number', () => {
    const log = new EventLog(recorder() as unknown as RolloutRecorder, 3);
    for (let i = 0; i < 7; i++) log.append('0', { type: 'agent_message_delta', delta: String(i) });
    expect(log.firstHeld).to.equal(5);
    expect(log.heldAfter(0).map((e) => e.seq)).to.deep.equal([5, 6, 7]);
    expect(log.heldAfter(5).map((e) => e.seq)).to.deep.equal([6, 7]);
    expect(log.heldAfter(7)).to.deep.equal([]);
    expect(log.heldAfter(99)).to.deep.equal([]);
  });

  it('holds nothing with capacity 0, and reports the next number as the first held', () => {
    const log = new EventLog(recorder() as unknown as RolloutRecorder, 0, 5);
    log.append('0', { type: 'agent_message_delta', delta: 'x' });
    expect(log.firstHeld).to.equal(7);
    expect(log.heldAfter(0)).to.deep.equal([]);
  });
});
