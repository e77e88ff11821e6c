import { expect } from 'chai';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadCursorError, findRolloutPath, listRollouts, readSummary } from '../../src/conversations/rollout-listing';
import { TempHome } from '../support/temp-home';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** A uuid whose last group carries `n`, so that names sort predictably within a second. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Writes an agentwire-format rollout started at the given local time. */
function writeRollout(home: string, n: number, when: Date, opts: { preview?: string; instructions?: string } = {}): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  const [y, mo, d, h, mi, s] = [when.getFullYear(), pad(when.getMonth() + 1), pad(when.getDate()), pad(when.getHours()), pad(when.getMinutes()), pad(when.getSeconds())];
  const dir = join(home, 'sessions', String(y), mo, d);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rollout-${y}-${mo}-${d}T${h}-${mi}-${s}-${uuid(n)}.jsonl`);
  const lines: unknown[] = [
    { id: uuid(n), timestamp: `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`, instructions: opts.instructions ?? null },
    { record_type: 'agentwire_settings', model: `model-${n}`, cwd: `/work/${n}` },
  ];
  if (opts.instructions)
    lines.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `<user_instructions>\n\n${opts.instructions}\n\n</user_instructions>` }] });
  lines.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/x</cwd>\n</environment_context>' }] });
  if (opts.preview !== '') lines.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: opts.preview ?? `hello ${n}` }] });
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

describe('rollout listing', () => {
  let home: TempHome;
  beforeEach(() => (home = new TempHome()));
  afterEach(() => home.remove());

  it('lists newest first across day folders, a page at a time, with a cursor until the end', () => {
    const base = new Date(2025, 0, 30, 23, 59, 0);
    const paths: string[] = [];
    // 7 conversations, one every 6 hours, so they spread over three day folders and a month boundary.
    for (let n = 0; n < 7; n++) paths.push(writeRollout(home.path, n, new Date(base.getTime() + n * 6 * 3600_000)));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = listRollouts(home.path, { pageSize: 3, cursor });
      seen.push(...page.items.map((i) => i.conversationId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal([6, 5, 4, 3, 2, 1, 0].map(uuid));
  });

  it('fills each row from the head: id, path, preview, UTC timestamp, cwd and model', () => {
    const when = new Date(2025, 4, 6, 7, 8, 9);
    const path = writeRollout(home.path, 1, when, { preview: 'fix the bug' });
    const { items, nextCursor } = listRollouts(home.path, { pageSize: 20 });
    expect(nextCursor).to.equal(undefined);
    expect(items).to.deep.equal([{ conversationId: uuid(1), path, preview: 'fix the bug', timestamp: when.toISOString(), cwd: '/work/1', model: 'model-1' }]);
  });

  it('has no next cursor when the page is exactly full', () => {
    for (let n = 0; n < 3; n++) writeRollout(home.path, n, new Date(2025, 1, 1, 0, 0, n));
    const page = listRollouts(home.path, { pageSize: 3 });
    expect(page.items).to.have.length(3);
    expect(page.nextCursor).to.equal(undefined);
  });

  it('skips files that are not rollouts, and lists one with no message yet with an empty preview', () => {
    writeRollout(home.path, 1, new Date(2025, 1, 1, 0, 0, 1), { preview: '' });
    const junk = join(home.path, 'sessions', '2025', '02', '01', `rollout-2025-02-01T00-00-02-${uuid(2)}.jsonl`);
    writeFileSync(junk, 'not json\n');
    writeFileSync(join(home.path, 'sessions', '2025', '02', '01', 'notes.txt'), 'x');
    const { items } = listRollouts(home.path, { pageSize: 10 });
    expect(items.map((i) => [i.conversationId, i.preview])).to.deep.equal([[uuid(1), '']]);
  });

  it('reads past a head of 16 KB when large instructions come before the first message', () => {
    const instructions = 'x'.repeat(40_000);
    const path = writeRollout(home.path, 1, new Date(2025, 1, 1), { instructions, preview: 'after the big block' });
    expect(readSummary(path, path.slice(path.lastIndexOf('/') + 1))!.preview).to.equal('after the big block');
  });

  it('lists the rollout captured from codex 0.29 with its cwd from the environment context and no model', () => {
    const dir = join(home.path, 'sessions', '2026', '11', '25');
    mkdirSync(dir, { recursive: true });
    const name = 'rollout-2026-11-25T10-01-10-570f1574-699e-4da2-a429-70312f6827d8.jsonl';
    copyFileSync(join(FIXTURES, 'codex-0.29-rollout.jsonl'), join(dir, name));
    const [row] = listRollouts(home.path, { pageSize: 5 }).items;
    expect(row).to.include({ conversationId: '570f1574-699e-4da2-a429-70312f6827d8', preview: 'run echo for me', path: join(dir, name) });
    expect(row.cwd).to.match(/codex029-capture-work-/);
    expect(row).to.not.have.property('model');
  });

  it('refuses a cursor it did not make', () => {
    expect(() => listRollouts(home.path, { pageSize: 3, cursor: 'bm9wZQ' })).to.throw(BadCursorError);
  });

  it('finds a rollout by conversation id; undefined when there is none', () => {
    const path = writeRollout(home.path, 4, new Date(2025, 2, 3));
    writeRollout(home.path, 5, new Date(2025, 2, 4));
    expect(findRolloutPath(home.path, uuid(4))).to.equal(path);
    expect(findRolloutPath(home.path, uuid(9))).to.equal(undefined);
    expect(listRollouts(join(home.path, 'nowhere'), { pageSize: 3 })).to.deep.equal({ items: [] });
  });
});
