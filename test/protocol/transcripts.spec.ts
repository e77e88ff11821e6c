import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConversation, type DirectedMessage } from '../support/protocol-check';

const TRANSCRIPTS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'spec', 'transcripts');

/** Placeholders of the captured transcripts (their README), made into values of the right shape. */
function fillPlaceholders(line: string): string {
  return line.replace(/<uuid-(\d+)>/g, (_, n: string) => `00000000-0000-4000-8000-${n.padStart(12, '0')}`).replace(/<tmp>/g, '/tmp/transcript');
}

function conversation(file: string): DirectedMessage[] {
  return readFileSync(join(TRANSCRIPTS, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(fillPlaceholders(line)) as { dir?: string; msg?: Record<string, unknown> })
    .filter((entry): entry is DirectedMessage => (entry.dir === 'c2s' || entry.dir === 's2c') && typeof entry.msg === 'object');
}

/** Lines of the transcripts that break the protocol on purpose or where 0.29 breaks it, and why. */
const KNOWN: Record<string, { problem: RegExp; why: string }> = {
  'codex-tool-provider-error-and-buffered-events.jsonl': {
    problem: /^server result of tools\/call: .*exceeded retry limit/,
    why: '0.29 answers a failed turn with a bare {"error"} result, which is no CallToolResult; agentwire sends isError (WIRE.md §10)',
  },
};

/**
 * Every line of codex 0.29's captured sessions (test/fixtures/spec/transcripts/) against the
 * schema generated from src/protocol/: what 0.29 sent is what agentwire declares it sends, and
 * what 0.29's clients sent passes agentwire's params classes.
 */
describe('protocol schema: codex 0.29 transcripts', () => {
  const files = readdirSync(TRANSCRIPTS).filter((f) => f.endsWith('.jsonl'));

  it('has the transcripts to check', () => {
    expect(files.filter((f) => conversation(f).length > 0)).to.have.length.above(25);
  });

  for (const file of files) {
    it(file, () => {
      const known = KNOWN[file];
      const found = checkConversation(conversation(file)).filter((problem) => !known?.problem.test(problem));
      expect(found).to.deep.equal([]);
    });
  }

  it('catches a wrong event field (the check can fail)', () => {
    const bad: DirectedMessage[] = [
      {
        dir: 's2c',
        msg: { jsonrpc: '2.0', method: 'codex/event/task_complete', params: { id: '0', msg: { type: 'task_complete', last_agent_message: 42 }, conversationId: 'c' } },
      },
      { dir: 's2c', msg: { jsonrpc: '2.0', method: 'codex/event/exec_command_end', params: { id: '0', msg: { type: 'exec_command_end', call_id: 'x' }, conversationId: 'c' } } },
      { dir: 's2c', msg: { jsonrpc: '2.0', method: 'codex/event/made_up', params: {} } },
    ];
    const found = checkConversation(bad);
    expect(found).to.have.length(3);
    expect(found[0]).to.match(/codex\/event\/task_complete/);
    expect(found[2]).to.match(/not declared/);
  });
});
