// The soak rows of `npm run bench` (issue 17), on a server process of their own:
//   - 1,000 turns in one conversation, each running one shell command (`true`), RSS sampled every
//     100 turns: the last sample should be within 10 % of the one after turn 100 (what stays is
//     the conversation's history, which a turn adds a few hundred bytes to; a leak per turn shows).
//   - 200 conversations created, given a turn, and archived: RSS after against RSS before (± 10 %).
// RSS is the server process's own (/proc/<pid>/status). Benchmarks only: nothing here fails on a figure.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function benchSoak({ mock, row, quick, McpTestClient, mockConfig }) {
  const home = mkdtempSync(join(tmpdir(), 'agentwire-bench-soak-'));
  const work = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
  writeFileSync(join(home, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never', sandboxMode: 'danger-full-access' }));
  const client = McpTestClient.spawn({ home, env: { AGENTWIRE_LOG: 'error' } });
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${client.proc.pid}/status`, 'utf8'))[1]);
  const forget = () => {
    client.messages.length = 0;
    mock.requests.length = 0;
  };
  const conversation = async () => {
    const reply = await client.request('newConversation', { cwd: work });
    if (reply.error) throw new Error(`newConversation: ${JSON.stringify(reply.error)}`);
    const id = reply.result.conversationId;
    await client.request('addConversationListener', { conversationId: id });
    let submission = 0;
    return {
      id,
      async turn(text) {
        const sub = String(submission++);
        const done = client.waitFor((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === id && m.params.id === sub, 60_000, 'task_complete');
        const sent = await client.request('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text } }] });
        if (sent.error) throw new Error(`sendUserMessage: ${JSON.stringify(sent.error)}`);
        await done;
      },
    };
  };
  try {
    await client.initialize();

    // 1. one conversation, many shell turns
    const turns = quick ? 200 : 1000;
    const every = quick ? 20 : 100;
    const c = await conversation();
    const samples = [];
    const t0 = performance.now();
    for (let i = 1; i <= turns; i++) {
      mock.enqueue({ kind: 'tool_call', name: 'shell', callId: `call${i}`, arguments: { command: ['true'] } }, { kind: 'text', text: 'done' });
      await c.turn('run true');
      forget();
      if (i % every === 0) samples.push(rss());
    }
    const seconds = (performance.now() - t0) / 1000;
    row(
      'soak',
      `${turns} shell turns, one conversation: RSS after turn ${every} / ${turns} (KiB: ${samples.join(' ')})`,
      `${(samples[0] / 1024).toFixed(1)} / ${(samples.at(-1) / 1024).toFixed(1)}`,
      'MiB',
    );
    row('soak', `${turns} shell turns: last sample over the one after turn ${every} (target within ±10 %)`, ((samples.at(-1) / samples[0] - 1) * 100).toFixed(1), '%');
    row('soak', `${turns} shell turns: time per turn`, ((seconds * 1000) / turns).toFixed(2), 'ms');

    // 2. conversations created and archived
    const n = quick ? 50 : 200;
    const before = rss();
    for (let i = 0; i < n; i++) {
      const conv = await conversation();
      mock.enqueue({ kind: 'text', text: 'short' });
      await conv.turn('hello');
      const path = findRollout(join(home, 'sessions'), conv.id);
      const archived = await client.request('archiveConversation', { conversationId: conv.id, rolloutPath: path });
      if (archived.error) throw new Error(`archiveConversation: ${JSON.stringify(archived.error)}`);
      forget();
    }
    const after = rss();
    row('soak', `${n} conversations created and archived: RSS before / after`, `${(before / 1024).toFixed(1)} / ${(after / 1024).toFixed(1)}`, 'MiB');
    row('soak', `${n} conversations created and archived: RSS change (target within ±10 %)`, ((after / before - 1) * 100).toFixed(1), '%');
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** The rollout file of a conversation under <home>/sessions/YYYY/MM/DD/. */
function findRollout(dir, id) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findRollout(path, id);
      if (found) return found;
    } else if (entry.name.endsWith(`-${id}.jsonl`)) return path;
  }
  return undefined;
}
