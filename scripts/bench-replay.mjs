// The event replay rows of `npm run bench` (issue 17), on a server process of its own: a conversation
// streams a 10,000-delta answer, so that its replay ring (event_replay_buffer, 10,000 by default)
// is full; then a second addConversationListener with `sinceSeq` asks for
//   - the last 10,000 events (all from the ring in memory), and
//   - every event from the first (the ones older than the ring are read back from the rollout).
// The time is from sending the request to its reply, which the server sends after the replayed
// events (docs/PROTOCOL.md, "Event numbers and replay"); the client counts them. Target: < 50 ms.
// The client here parses each line once and nothing more: it initializes with raw requests, not
// through the typed client (McpTestClient.initialize), which would also run every one of the
// 10,000 notifications through its own JSON-RPC engine (measured: ~35 ms of the client's own per
// replay, which is not the server's). The server's CPU per replay (all its threads, GC included,
// from /proc/<pid>/task/*/schedstat) is a row of its own: it does not depend on the client's speed.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function benchReplay({ mock, row, pct, quick, McpTestClient, mockConfig }) {
  const home = mkdtempSync(join(tmpdir(), 'agentwire-bench-replay-'));
  const work = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
  writeFileSync(join(home, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never' }));
  const client = McpTestClient.spawn({ home, env: { AGENTWIRE_LOG: 'error' } });
  try {
    await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    client.notify('notifications/initialized', {});
    const conversationId = (await client.request('newConversation', { cwd: work })).result.conversationId;
    await client.request('addConversationListener', { conversationId });
    const n = 10_000;
    mock.enqueue({ kind: 'burst', deltas: n });
    const done = client.waitFor((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === conversationId, 120_000, 'task_complete');
    await client.request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'stream' } }] });
    const last = (await done).params._meta?.seq;
    if (typeof last !== 'number') throw new Error('task_complete carries no _meta.seq');
    client.messages.length = 0;

    const replay = async (sinceSeq) => {
      const mark = client.messages.length;
      const cpu0 = cpuMs(client.proc.pid);
      const t0 = performance.now();
      const reply = await client.request('addConversationListener', { conversationId, sinceSeq }, undefined);
      const ms = performance.now() - t0;
      const cpu = cpuMs(client.proc.pid) - cpu0;
      if (reply.error) throw new Error(`addConversationListener sinceSeq: ${JSON.stringify(reply.error)}`);
      const events = client.messages.slice(mark).filter((m) => m.method?.startsWith('codex/event/') && m.params.conversationId === conversationId).length;
      client.messages.length = 0;
      return { ms, cpu, events };
    };
    for (const [label, since, short] of [
      [`last ${n} events (from memory)`, last - n, 'from memory'],
      ['every event from the first (older ones from the rollout)', 0, 'from the rollout'],
    ]) {
      const runs = [];
      const cpus = [];
      let events = 0;
      for (let i = 0; i < (quick ? 3 : 10); i++) {
        const r = await replay(since);
        runs.push(r.ms);
        cpus.push(r.cpu);
        events = r.events;
      }
      row('replay', `replay of the ${label}: ${events} events, p50 of ${runs.length} (target < 50 ms)`, pct(runs, 50).toFixed(1), 'ms');
      row('replay', `replay ${short}: server CPU per replay (all threads), p50`, pct(cpus, 50).toFixed(1), 'ms');
    }
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** CPU time a process has used, all its threads (GC helpers included), in ms: the first field of each thread's schedstat (ns on CPU). */
function cpuMs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}
