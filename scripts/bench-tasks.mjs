// The tasks rows of `npm run bench` (issue 13): a `codex` run as a 2025-11-25 task against the same run as a
// plain tools/call, from one client, on the mock provider. "create → completed" is from sending the task-augmented
// tools/call to the task's `completed` status notification; the overhead row is its p50 minus the plain call's p50
// (the cost of the task file writes, the handle and the notification).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function benchTasks({ mock, row, pct, quick, McpTestClient, mockConfig }) {
  const home = mkdtempSync(join(tmpdir(), 'agentwire-bench-tasks-'));
  const work = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
  writeFileSync(join(home, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never' }));
  const client = McpTestClient.spawn({ home, env: { AGENTWIRE_LOG: 'error' } });
  try {
    await client.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    client.notify('notifications/initialized', {});
    const args = { prompt: 'hi', cwd: work, 'approval-policy': 'never', sandbox: 'read-only' };
    const runs = quick ? 10 : 40;
    const plain = [];
    const created = [];
    const completed = [];
    for (let i = 0; i < runs; i++) {
      mock.enqueue({ kind: 'text', text: 'ok' });
      let t0 = performance.now();
      const reply = await client.request('tools/call', { name: 'codex', arguments: args });
      if (reply.error) throw new Error(`plain tools/call: ${JSON.stringify(reply.error)}`);
      plain.push(performance.now() - t0);

      mock.enqueue({ kind: 'text', text: 'ok' });
      t0 = performance.now();
      const handle = await client.request('tools/call', { name: 'codex', arguments: args, task: {} });
      created.push(performance.now() - t0);
      const taskId = handle.result?.task?.taskId;
      if (!taskId) throw new Error(`task-augmented tools/call: ${JSON.stringify(handle).slice(0, 300)}`);
      await client.waitForNotification('notifications/tasks/status', (p) => p.taskId === taskId && p.status === 'completed', 60_000);
      completed.push(performance.now() - t0);
      client.messages.length = 0;
    }
    const p50 = (xs) => pct(xs, 50);
    row('task', `plain tools/call codex p50 (${runs} runs)`, p50(plain).toFixed(2), 'ms');
    row('task', 'tools/call as a task: handle returned p50', p50(created).toFixed(2), 'ms');
    row('task', 'tools/call as a task: create → completed p50', p50(completed).toFixed(2), 'ms');
    row('task', 'task overhead (create → completed p50 − plain p50)', (p50(completed) - p50(plain)).toFixed(2), 'ms');
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
