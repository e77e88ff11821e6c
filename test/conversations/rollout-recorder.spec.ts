import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RolloutRecorder } from '../../src/conversations/rollout-recorder';
import { openFiles } from '../exec/helpers';

/** How many of this process's file descriptors are open on `path`. */
const openOn = (path: string): number => openFiles('self', (target) => target === path).length;

const nextTurnOfLoop = () => new Promise((resolve) => setImmediate(resolve));

describe('RolloutRecorder', () => {
  let dir: string;
  let path: string;
  let errors: Error[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-recorder-'));
    path = join(dir, 'sessions', 'rollout.jsonl');
    errors = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('keeps the file open from a turn start to its end, and holds none outside turns', async () => {
    const r = new RolloutRecorder(path, (err) => errors.push(err));
    r.start({ id: 'c1', now: new Date(), instructions: null, settings: { model: 'm' } });
    r.flush();
    expect(lines()).to.have.length(1);
    expect(openOn(path), 'after an append outside a turn').to.equal(0);
    expect(statSync(path).mode & 0o777).to.equal(0o600);

    r.turn('0', {});
    r.flush();
    expect(openOn(path), 'during a turn').to.equal(1);
    r.event({ seq: 1, id: '0', msg: { type: 'task_started', model_context_window: null } });
    r.flush();
    expect(openOn(path), 'one descriptor for the whole turn').to.equal(1);
    r.event({ seq: 2, id: '0', msg: { type: 'task_complete', last_agent_message: null } });
    r.endTurn('0');
    // On disk at once (before the client hears of the turn's end); closed a step later.
    expect(lines().map((l) => l.record_type ?? null)).to.deep.equal([null, 'agentwire_settings', 'agentwire_turn', 'agentwire_event', 'agentwire_event']);
    expect(openOn(path)).to.equal(1);
    await nextTurnOfLoop();
    expect(openOn(path), 'after the turn').to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('writes the settings record with the first turn, not at creation: a conversation never used writes what 0.29 writes', () => {
    const r = new RolloutRecorder(path, (err) => errors.push(err));
    r.start({ id: 'c1', now: new Date(), instructions: null, settings: { model: 'm' } });
    r.items([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: '<environment_context>x</environment_context>' }] }]);
    r.flush();
    expect(lines().map((l) => l.record_type ?? l.type ?? 'session')).to.deep.equal(['session', 'message']);
    r.turn('0', { model: 'm' });
    r.turn('1', { model: 'm' });
    r.flush();
    expect(lines().map((l) => l.record_type ?? l.type ?? 'session')).to.deep.equal(['session', 'message', 'agentwire_settings', 'agentwire_turn', 'agentwire_turn']);
    expect(lines()[2]).to.deep.equal({ record_type: 'agentwire_settings', model: 'm' });
    r.close();
    expect(lines().filter((l) => l.record_type === 'agentwire_settings')).to.have.length(1);
  });

  it('writes the settings record of a conversation that ran no turn when it closes, and once', () => {
    const r = new RolloutRecorder(path, (err) => errors.push(err));
    r.start({ id: 'c1', now: new Date(), instructions: null, settings: { model: 'm' } });
    r.writeSettings();
    r.writeSettings();
    r.close();
    expect(lines().map((l) => l.record_type ?? 'session')).to.deep.equal(['session', 'agentwire_settings']);
    // A later settings record (a resume with overrides) replaces one not written yet.
    const again = new RolloutRecorder(join(dir, 'sessions', 'other.jsonl'), (err) => errors.push(err));
    again.start({ id: 'c2', now: new Date(), instructions: null, settings: { model: 'old' } });
    again.settings({ model: 'new' });
    again.close();
    const records = readFileSync(join(dir, 'sessions', 'other.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((l) => l.record_type === 'agentwire_settings').map((l) => l.model)).to.deep.equal(['new']);
    expect(errors).to.deep.equal([]);
  });

  it('keeps the file open for a turn that starts before the last one released it, and closes it on close()', async () => {
    const r = new RolloutRecorder(path, (err) => errors.push(err));
    r.start({ id: 'c1', now: new Date(), instructions: null, settings: {} });
    r.turn('0', {});
    r.endTurn('0');
    r.turn('1', {});
    r.flush();
    await nextTurnOfLoop();
    expect(openOn(path)).to.equal(1);
    r.close();
    expect(openOn(path)).to.equal(0);
    expect(lines().map((l) => l.submission_id ?? null)).to.deep.equal([null, null, '0', '1']);
    r.turn('2', {});
    r.flush();
    expect(lines()).to.have.length(4);
    expect(openOn(path)).to.equal(0);
  });

  it('holds nothing for the marker of a turn that is not running, and keeps a newer turn open past an older turn end', async () => {
    const r = new RolloutRecorder(path, (err) => errors.push(err));
    r.start({ id: 'c1', now: new Date(), instructions: null, settings: {} });
    // A fork's copied turns: markers only.
    r.turnMarker({ submission_id: null, copied_from: 'c0' });
    r.flush();
    await nextTurnOfLoop();
    expect(openOn(path), 'after a copied turn marker').to.equal(0);
    // Turn 1 is submitted while turn 0 is still closing; turn 0's end comes after.
    r.turn('0', {});
    r.turn('1', {});
    r.endTurn('0');
    await nextTurnOfLoop();
    expect(openOn(path), 'turn 1 still running').to.equal(1);
    r.endTurn('1');
    await nextTurnOfLoop();
    expect(openOn(path)).to.equal(0);
    expect(lines().map((l) => l.submission_id ?? null)).to.deep.equal([null, null, null, '0', '1']);
  });

  it('starts a new line after a cut last line, and reports a failed append once, holding nothing', async () => {
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, '{"id":"c1"}\n{"type":"mess');
    const r = RolloutRecorder.append(cut, (err) => errors.push(err));
    r.turn('0', {});
    r.endTurn('0');
    const text = readFileSync(cut, 'utf8').split('\n');
    expect(text[1]).to.equal('{"type":"mess');
    expect(JSON.parse(text[2])).to.deep.include({ record_type: 'agentwire_turn', submission_id: '0' });

    // The rollout's folder is a file: the append fails, once, and later lines are dropped.
    writeFileSync(join(dir, 'blocker'), '');
    const failing = new RolloutRecorder(join(dir, 'blocker', 'rollout.jsonl'), (err) => errors.push(err));
    failing.turn('0', {});
    failing.flush();
    failing.turn('1', {});
    failing.endTurn('1');
    await nextTurnOfLoop();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).to.deep.equal(['ENOTDIR']);
  });
});
