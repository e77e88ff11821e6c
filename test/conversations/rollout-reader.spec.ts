import { expect } from 'chai';
import { specFixture } from '../apply-patch/helpers';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  initialMessagesOf,
  parseEnvironmentContext,
  parseRollout,
  readRollout,
  RolloutFormatError,
  RolloutTooLargeError,
  turnStartsOf,
} from '../../src/conversations/rollout-reader';
import { assistantText, userText, type ResponseItem } from '../../src/protocol/items';
import { TempHome } from '../support/temp-home';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const SPEC_EXAMPLE = specFixture('transcripts/rollout-example.jsonl');

const ENV =
  '<environment_context>\n  <cwd>/w</cwd>\n  <approval_policy>never</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n</environment_context>';
const call = (id: string): ResponseItem => ({ type: 'function_call', id: null, name: 'shell', arguments: '{"command":["true"]}', call_id: id });
const output = (id: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output: 'done' });

function agentwireRollout(): string {
  const lines: unknown[] = [
    { id: '11111111-1111-4111-8111-111111111111', timestamp: '2025-01-02T03:04:05.006Z', instructions: 'be nice' },
    {
      record_type: 'agentwire_settings',
      model: 'm1',
      model_provider: 'mock',
      cwd: '/w',
      approval_policy: 'never',
      sandbox_policy: { mode: 'read-only' },
      base_instructions: null,
      include_plan_tool: true,
      include_apply_patch_tool: false,
      reasoning_effort: 'high',
      reasoning_summary: 'none',
      profile: null,
    },
    userText('<user_instructions>\n\nbe nice\n\n</user_instructions>'),
    userText(ENV),
    { record_type: 'agentwire_turn', submission_id: '0' },
    userText('first'),
    call('c1'),
    output('c1'),
    assistantText('one'),
    { record_type: 'agentwire_turn', submission_id: '1' },
    userText('second'),
    assistantText('two'),
  ];
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('rollout reader', () => {
  const warnings: string[] = [];
  const warn = (_fields: Record<string, unknown>, message: string) => warnings.push(message);
  beforeEach(() => (warnings.length = 0));

  it('reads agentwire rollouts: settings record, items, turn markers', () => {
    const r = parseRollout(agentwireRollout(), '/x.jsonl', warn);
    expect(r.format).to.equal('agentwire');
    expect(r.meta).to.deep.equal({ id: '11111111-1111-4111-8111-111111111111', timestamp: '2025-01-02T03:04:05.006Z', instructions: 'be nice' });
    expect(r.settings).to.deep.include({
      model: 'm1',
      modelProvider: 'mock',
      cwd: '/w',
      approvalPolicy: 'never',
      sandboxMode: 'read-only',
      includePlanTool: true,
      reasoningEffort: 'high',
      reasoningSummary: 'none',
      userInstructions: 'be nice',
    });
    expect(r.settings.baseInstructions).to.equal(undefined);
    expect(r.items).to.have.length(8);
    expect(r.turnStarts).to.deep.equal([2, 6]);
    expect(r.endsWithNewline).to.equal(true);
    expect(warnings).to.deep.equal([]);
  });

  it('takes the last settings record (a resume with overrides appends one)', () => {
    const text = agentwireRollout() + JSON.stringify({ record_type: 'agentwire_settings', model: 'm2', cwd: '/v' }) + '\n';
    expect(parseRollout(text, '/x', warn).settings).to.deep.include({ model: 'm2', cwd: '/v' });
  });

  it('skips a cut last line with a warning, and a bad line in the middle too', () => {
    const whole = agentwireRollout();
    const cut = whole + '{"type":"message","role":"assistant","content":[{"type":"outp';
    const r = parseRollout(cut, '/x', warn);
    expect(r.items).to.have.length(8);
    expect(r.endsWithNewline).to.equal(false);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('last line is cut');
    // After a resume appended past the cut line, the line sits in the middle.
    const later = cut + '\n' + JSON.stringify(userText('third')) + '\n';
    const r2 = parseRollout(later, '/x', warn);
    expect(r2.items).to.have.length(9);
    expect(warnings[1]).to.contain('not JSON');
  });

  it('refuses a file whose first line is not a session record', () => {
    expect(() => parseRollout('{"record_type":"state"}\n', '/x', warn)).to.throw(RolloutFormatError);
    expect(() => parseRollout('', '/x', warn)).to.throw(RolloutFormatError);
    expect(() => parseRollout('{"id":"a", "timest', '/x', warn)).to.throw(RolloutFormatError);
  });

  it('reads the rollout captured from codex 0.29: settings from the environment context, turns inferred', async () => {
    const r = await readRollout(join(FIXTURES, 'codex-0.29-rollout.jsonl'), warn);
    expect(r.format).to.equal('codex-0.29');
    expect(r.settings).to.deep.include({ approvalPolicy: 'never', sandboxMode: 'danger-full-access' });
    expect(r.settings.cwd).to.match(/codex029-capture-work-/);
    expect(r.settings.model).to.equal(undefined);
    expect(r.items.map((i) => i.type)).to.deep.equal(['message', 'message', 'function_call', 'function_call_output', 'message', 'message', 'message']);
    expect(r.turnStarts).to.deep.equal([1, 5]);
    expect(warnings).to.deep.equal([]);
  });

  it('reads the spec example of WIRE.md §12', function () {
    const r = parseRollout(readFileSync(SPEC_EXAMPLE, 'utf8'), SPEC_EXAMPLE, warn);
    expect(r.items).to.have.length(7);
    expect(r.turnStarts).to.deep.equal([1, 5]);
    expect(r.settings).to.deep.include({ approvalPolicy: 'untrusted', sandboxMode: 'danger-full-access', cwd: '<tmp>/work' });
  });

  it('infers turns before the first marker and follows markers after it (a 0.29 file resumed by agentwire)', () => {
    const items = [userText(ENV), userText('a'), userText('a2'), assistantText('x'), userText('b'), call('1'), output('1'), userText('injected'), assistantText('y')];
    expect(turnStartsOf(items, [])).to.deep.equal([1, 4, 7]);
    expect(turnStartsOf(items, [7])).to.deep.equal([1, 4, 7]);
    expect(turnStartsOf(items, [4])).to.deep.equal([1, 4]);
  });

  it('parses an environment context', () => {
    expect(parseEnvironmentContext(ENV)).to.deep.equal({ cwd: '/w', approvalPolicy: 'never', sandboxMode: 'workspace-write' });
  });

  it('turns a history into initialMessages without the context items', () => {
    const items: ResponseItem[] = [
      userText(ENV),
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:x' },
        ],
      },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }] },
      call('c1'),
      output('c1'),
      assistantText('seen'),
    ];
    expect(initialMessagesOf(items)).to.deep.equal([
      { type: 'user_message', message: 'look', images: ['data:x'] },
      { type: 'agent_reasoning', text: 'thinking' },
      { type: 'tool_call', call_id: 'c1', name: 'shell', arguments: '{"command":["true"]}' },
      { type: 'tool_output', call_id: 'c1', output: 'done' },
      { type: 'agent_message', message: 'seen' },
    ]);
  });

  it('reads from disk', async () => {
    const home = new TempHome();
    try {
      const path = join(home.path, 'r.jsonl');
      writeFileSync(path, agentwireRollout());
      expect((await readRollout(path, warn)).items).to.have.length(8);
    } finally {
      home.remove();
    }
  });

  it('streams from disk exactly as parseRollout reads the text: multi-byte text across chunks, a cut last line, the size cap', async () => {
    const home = new TempHome();
    try {
      const path = join(home.path, 'r.jsonl');
      // 70 KB of three-byte characters puts chunk boundaries (64 KB) inside characters and lines.
      const text = agentwireRollout() + JSON.stringify(assistantText('€'.repeat(70_000))) + '\n{"type":"message","ro';
      writeFileSync(path, text);
      const streamed = await readRollout(path, warn);
      expect(streamed).to.deep.equal(parseRollout(text, path, warn));
      expect(streamed.endsWithNewline).to.equal(false);
      expect(warnings.filter((w) => w.includes('last line is cut'))).to.have.length(2);

      const size = Buffer.byteLength(text);
      expect((await readRollout(path, warn, size)).items).to.have.length(9);
      const tooLarge = await readRollout(path, warn, size - 1).catch((err: unknown) => err);
      expect(tooLarge).to.be.instanceOf(RolloutTooLargeError);
    } finally {
      home.remove();
    }
  });

  it('refuses from disk a session line whose id is not a UUID (issue 18 finding 4)', async () => {
    const home = new TempHome();
    try {
      const path = join(home.path, 'r.jsonl');
      writeFileSync(path, '{"id":"not-a-uuid","timestamp":"t","instructions":null}\n');
      const err = await readRollout(path, warn).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RolloutFormatError);
      expect((err as Error).message).to.contain('is not a UUID');
    } finally {
      home.remove();
    }
  });
});
