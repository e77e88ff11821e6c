#!/usr/bin/env node
// `npm run bench`: agentwire's own benchmarks, printed as a table. It drives the built server over
// stdio against the mock model provider of test/support (on 127.0.0.1), as a client would:
//   - send → task_complete latency of a plain turn (p50, p90)
//   - a burst of 1000, 4000 and 20000 content deltas (time per delta stays flat when cost is linear)
//   - RSS per conversation over 100 conversations
//   - 50 conversations at once, each answered after 50 ms
//   - listConversations and resources/list, first page, with 5,000 rollouts in the home folder
//   - tools/list per second and a `codex` turn with one approval round, in the handshake era and in
//     MCP 2026-07-28 (`_meta` envelope on every request; the approval as input_required → retry)
//   - tools/list pipelined, handshake era against MCP 2026-07-28 with the `_meta` envelope: what the
//     per-request `_meta` checks cost (target: at most 10 % more per request)
//   - a codex run as a task (create → completed) against a plain tools/call (scripts/bench-tasks.mjs)
//   - event replay (scripts/bench-replay.mjs): 10,000 events to a listener joining with sinceSeq
//   - soak (scripts/bench-soak.mjs): 1,000 shell turns in one conversation, RSS every 100 turns; 200
//     conversations created and archived, RSS before and after
//
// Options: --quick (a short run); --only turn,stream,mem,conc,task,list,era,soak,replay (a subset);
// --server "<command>" drives any MCP server that speaks the codex 0.29 wire protocol instead of
// agentwire, for example codex 0.29 itself, so that the two tables can be set side by side
// (agentwire's own rows — list, era, task, soak, replay — are left out then).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'shell-quote';
import { ensureBuilt } from './ensure-built.mjs';
import { benchTasks } from './bench-tasks.mjs';
import { benchSoak } from './bench-soak.mjs';
import { benchReplay } from './bench-replay.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureBuilt(root);
const require = createRequire(import.meta.url);
const { MockProvider } = require(join(root, 'build/test/support/mock-provider.js'));
const { McpTestClient } = require(join(root, 'build/test/support/mcp-client.js'));
const { mockConfig } = require(join(root, 'build/test/support/engine-home.js'));

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('Usage: npm run bench -- [--quick] [--only turn,stream,mem,conc,task,list,era,soak,replay] [--server "<command that serves MCP on stdio>"]');
  process.exit(0);
}
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
/** Whether a section runs (all of them without --only). */
const want = (section) => !only || only.has(section);
const serverAt = args.indexOf('--server');
/** The other server's argv, or undefined for agentwire (`node dist/cli.js mcp`). */
const command = serverAt >= 0 ? parse(args[serverAt + 1] ?? '') : undefined;
if (command && (command.length === 0 || command.some((part) => typeof part !== 'string'))) {
  console.error('--server needs a plain command line, for example --server "codex mcp"');
  process.exit(2);
}
const rows = [];
const row = (test, metric, value, unit) => rows.push({ test, metric, value, unit });
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const mock = await MockProvider.start();
const home = mkdtempSync(join(tmpdir(), 'agentwire-bench-home-'));
const work = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
writeFileSync(join(home, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never' }));
const client = McpTestClient.spawn({ home, command, env: { AGENTWIRE_LOG: 'error' } });
await client.initialize();
console.log(`server: ${command ? command.join(' ') : 'agentwire (node dist/cli.js mcp)'}; RSS is that process's own`);

async function conversation() {
  const reply = await client.request('newConversation', { cwd: work });
  const id = reply.result.conversationId;
  await client.request('addConversationListener', { conversationId: id });
  let completed = 0;
  return {
    id,
    async turn(text) {
      // Each message takes the next submission id, so its task_complete carries that id.
      const submission = String(completed++);
      const done = client.waitFor((m) => m.method === 'codex/event/task_complete' && m.params.conversationId === id && m.params.id === submission, 120_000, 'task_complete');
      const t0 = performance.now();
      await client.request('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text } }] });
      await done;
      return performance.now() - t0;
    },
  };
}

function rss() {
  const status = readFileSync(`/proc/${client.proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function forget() {
  // The client keeps every message; drop them so long runs measure the server, not the harness.
  client.messages.length = 0;
}

try {
  // 1. latency
  if (want('turn')) {
    const c = await conversation();
    const lat = [];
    for (let i = 0; i < (quick ? 10 : 50); i++) {
      mock.enqueue({ kind: 'text', text: 'ok' });
      lat.push(await c.turn('hi'));
    }
    forget();
    row('turn', 'send → task_complete p50', pct(lat, 50).toFixed(2), 'ms');
    row('turn', 'send → task_complete p90', pct(lat, 90).toFixed(2), 'ms');
  }

  // 2. streaming bursts
  for (const n of !want('stream') ? [] : quick ? [1000, 4000] : [1000, 4000, 20000]) {
    const s = await conversation();
    const times = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      mock.enqueue({ kind: 'burst', deltas: n });
      times.push(await s.turn('stream'));
      forget();
    }
    const best = Math.min(...times);
    row('stream', `${n} deltas: turn time (best of ${times.length})`, best.toFixed(1), 'ms');
    row('stream', `${n} deltas: time per delta`, ((best * 1000) / n).toFixed(1), 'µs');
  }

  // 3. memory per conversation
  if (want('mem')) {
    const n = quick ? 20 : 100;
    forget();
    const before = rss();
    for (let i = 0; i < n; i++) {
      mock.enqueue({ kind: 'text', text: 'remember me' });
      await (await conversation()).turn('hello');
      forget();
    }
    const after = rss();
    row('mem', `RSS per conversation (${n} conversations, one turn each)`, ((after - before) / n).toFixed(1), 'KiB');
    row('mem', 'RSS after', (after / 1024).toFixed(1), 'MiB');
  }

  // 4. concurrency
  if (want('conc')) {
    const k = quick ? 10 : 50;
    const convs = await Promise.all(Array.from({ length: k }, () => conversation()));
    for (let i = 0; i < k; i++) mock.enqueue({ kind: 'text', text: 'together', delayMs: 50 });
    const t0 = performance.now();
    await Promise.all(convs.map((x) => x.turn('go')));
    row('conc', `${k} conversations at once, all done (mock waits 50 ms)`, (performance.now() - t0).toFixed(1), 'ms');
  }
} finally {
  await client.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}

/** Writes `n` small agentwire-format rollouts into a home, spread over day folders as the server would name them. */
function seedRollouts(target, n, days, cwd) {
  const pad = (v, w = 2) => String(v).padStart(w, '0');
  const start = new Date(2025, 0, 1, 9, 0, 0).getTime();
  const span = days * 24 * 3600_000;
  let made = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(start + Math.floor((i * span) / n));
    const [y, mo, d, h, mi, s] = [t.getFullYear(), pad(t.getMonth() + 1), pad(t.getDate()), pad(t.getHours()), pad(t.getMinutes()), pad(t.getSeconds())];
    const id = `00000000-0000-4000-8000-${pad(i, 12)}`;
    const dir = join(target, 'sessions', String(y), mo, d);
    if (dir !== made) mkdirSync((made = dir), { recursive: true });
    const lines = [
      { id, timestamp: `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`, instructions: null },
      {
        record_type: 'agentwire_settings',
        model: 'mock-model',
        model_provider: 'mock',
        cwd,
        approval_policy: 'never',
        sandbox_policy: { mode: 'read-only' },
        base_instructions: null,
        include_plan_tool: false,
        include_apply_patch_tool: false,
        reasoning_effort: 'medium',
        reasoning_summary: 'auto',
        profile: null,
      },
      {
        type: 'message',
        id: null,
        role: 'user',
        content: [
          {
            type: 'input_text',
            text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <approval_policy>never</approval_policy>\n  <sandbox_mode>read-only</sandbox_mode>\n  <network_access>restricted</network_access>\n</environment_context>`,
          },
        ],
      },
      { record_type: 'agentwire_turn', submission_id: '0', model: 'mock-model', cwd, approval_policy: 'never', sandbox_policy: { mode: 'read-only' } },
      { type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: `question number ${i}` }] },
      { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text: `answer number ${i}` }] },
    ];
    writeFileSync(join(dir, `rollout-${y}-${mo}-${d}T${h}-${mi}-${s}-${id}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
}

// Tasks (issue 13): task create → completed against a plain call, in scripts/bench-tasks.mjs
// (agentwire's own rows, left out with --server).
if (!command && want('task')) await benchTasks({ mock, row, pct, quick, McpTestClient, mockConfig });

// Soak (issue 17): no growth over 1,000 shell turns, nothing left behind by 200 archived conversations.
if (!command && want('soak')) await benchSoak({ mock, row, quick, McpTestClient, mockConfig });

// Event replay (issue 17): 10,000 events replayed to a new listener (scripts/bench-replay.mjs).
if (!command && want('replay')) await benchReplay({ mock, row, pct, quick, McpTestClient, mockConfig });

// 5. listing many rollouts: a server of its own, on a home holding 5,000 of them (agentwire's
// rollout format, so only for agentwire).
if (command || !want('list')) await mock.close();
else await listing();
async function listing() {
  const listHome = mkdtempSync(join(tmpdir(), 'agentwire-bench-list-'));
  const listWork = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
  try {
    writeFileSync(join(listHome, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never' }));
    const count = 5000;
    seedRollouts(listHome, count, 10, listWork);
    const lister = McpTestClient.spawn({ home: listHome, env: { AGENTWIRE_LOG: 'error' } });
    try {
      await lister.initialize();
      const time = async () => {
        const t0 = performance.now();
        const reply = await lister.request('listConversations', {});
        const ms = performance.now() - t0;
        if (reply.error || reply.result.items.length !== 20 || !reply.result.nextCursor) throw new Error(`listConversations: ${JSON.stringify(reply).slice(0, 300)}`);
        return ms;
      };
      const first = await time();
      const runs = [];
      for (let i = 0; i < (quick ? 5 : 20); i++) runs.push(await time());
      row('list', `listConversations first page, ${count} rollouts: first call`, first.toFixed(2), 'ms');
      row('list', `listConversations first page, ${count} rollouts: p50 of ${runs.length}`, pct(runs, 50).toFixed(2), 'ms');
      // The same walk: 20 rows a page, plus a stat per row for lastModified.
      const timeResources = async () => {
        const t0 = performance.now();
        const reply = await lister.request('resources/list', {});
        const ms = performance.now() - t0;
        if (reply.error || reply.result.resources.length !== 20 || !reply.result.nextCursor) throw new Error(`resources/list: ${JSON.stringify(reply).slice(0, 300)}`);
        return ms;
      };
      const firstResources = await timeResources();
      const resourceRuns = [];
      for (let i = 0; i < (quick ? 5 : 20); i++) resourceRuns.push(await timeResources());
      row('list', `resources/list first page, ${count} rollouts: first call`, firstResources.toFixed(2), 'ms');
      row('list', `resources/list first page, ${count} rollouts: p50 of ${resourceRuns.length}`, pct(resourceRuns, 50).toFixed(2), 'ms');
    } finally {
      await lister.close();
    }
  } finally {
    await mock.close();
    rmSync(listHome, { recursive: true, force: true });
    rmSync(listWork, { recursive: true, force: true });
  }
}

// 6. the two MCP eras side by side, each on a server process of its own (the era is per process);
// agentwire's own rows, left out with --server.
const MODERN = '2026-07-28';
const envelope = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'agentwire-bench', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};
const eras = command || !want('era') ? [] : ['handshake', 'modern'];
const eraMock = await MockProvider.start();
const servers = {};
try {
  for (const era of eras) {
    const eraHome = mkdtempSync(join(tmpdir(), 'agentwire-bench-home-'));
    const eraWork = mkdtempSync(join(tmpdir(), 'agentwire-bench-work-'));
    writeFileSync(join(eraHome, 'config.toml'), mockConfig(eraMock.url, { approvalPolicy: 'untrusted', sandboxMode: 'danger-full-access' }));
    const c = McpTestClient.spawn({ home: eraHome, env: { AGENTWIRE_LOG: 'error' } });
    const params = (p = {}) => (era === 'modern' ? { ...p, _meta: envelope } : p);
    const check = (reply, what) => {
      if (reply.error) throw new Error(`${what} (${era}): ${JSON.stringify(reply.error)}`);
      return reply.result;
    };
    servers[era] = { c, eraHome, eraWork, params, check, label: era === 'modern' ? `${MODERN}, _meta on each request` : 'handshake era' };
    if (era === 'modern') check(await c.request('server/discover', params()), 'server/discover');
    else {
      await c.initialize({ elicitation: {} });
      // The handshake era asks for approvals with elicitation/create requests to the client.
      c.onRequest('elicitation/create', () => ({ action: 'accept', content: { decision: 'approved' } }));
    }
    check(await c.request('tools/list', params()), 'tools/list');
  }

  // The `_meta` checks' cost: tools/list pipelined (n requests written at once, the time until the
  // last reply), batches alternating between the eras' servers so that both see the same machine;
  // the best batch of each era counts.
  if (eras.length) {
    const n = quick ? 2000 : 10000;
    const best = { handshake: Infinity, modern: Infinity };
    let batch = 0;
    const pipelined = async ({ c, params }) => {
      const tag = `pl${batch++}-`;
      let left = n;
      const done = c.waitFor((m) => typeof m.id === 'string' && m.id.startsWith(tag) && --left === 0, 60_000, 'pipelined tools/list');
      const lines = [];
      for (let i = 0; i < n; i++) lines.push(JSON.stringify({ jsonrpc: '2.0', id: `${tag}${i}`, method: 'tools/list', params: params() }));
      const payload = lines.join('\n') + '\n';
      const t0 = performance.now();
      c.sendRaw(payload);
      await done;
      const ms = performance.now() - t0;
      const bad = c.messages.find((m) => typeof m.id === 'string' && m.id.startsWith(tag) && m.error);
      if (bad) throw new Error(`pipelined tools/list: ${JSON.stringify(bad.error)}`);
      c.messages.length = 0;
      return ms;
    };
    for (let r = 0; r < (quick ? 2 : 5); r++) {
      for (const era of r % 2 ? ['modern', 'handshake'] : ['handshake', 'modern']) best[era] = Math.min(best[era], await pipelined(servers[era]));
    }
    for (const era of eras) row('era', `tools/list pipelined, ${n} requests (${servers[era].label}): best of ${quick ? 2 : 5}`, ((n * 1000) / best[era]).toFixed(0), '1/s');
    row('era', 'per-request `_meta` checks: modern tools/list cost over handshake (target ≤ 10 %)', ((best.modern / best.handshake - 1) * 100).toFixed(1), '%');
  }

  for (const era of eras) {
    const { c, eraWork, params, check, label } = servers[era];
    const n = quick ? 300 : 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) check(await c.request('tools/list', params()), 'tools/list');
    row('era', `tools/list per second, one at a time (${label})`, ((n * 1000) / (performance.now() - t0)).toFixed(0), '1/s');
    c.messages.length = 0;

    // A codex turn whose shell command needs one approval: call → approval → command → final text.
    const turns = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      eraMock.enqueue({ kind: 'tool_call', name: 'shell', callId: `call${i}`, arguments: { command: ['touch', `f${i}.txt`] } }, { kind: 'text', text: 'done' });
      const args = { name: 'codex', arguments: { prompt: 'make a file', cwd: eraWork } };
      const t1 = performance.now();
      let result = check(await c.request('tools/call', params(args)), 'tools/call');
      if (era === 'modern') {
        if (result.resultType !== 'input_required') throw new Error(`expected input_required: ${JSON.stringify(result).slice(0, 300)}`);
        const inputResponses = Object.fromEntries(Object.keys(result.inputRequests).map((k) => [k, { action: 'accept', content: { decision: 'approved' } }]));
        result = check(await c.request('tools/call', params({ ...args, inputResponses, requestState: result.requestState })), 'tools/call retry');
      }
      turns.push(performance.now() - t1);
      if (result.isError || result.content?.[0]?.text !== 'done' || (era === 'modern' && result.resultType !== 'complete')) {
        throw new Error(`codex turn (${era}): ${JSON.stringify(result).slice(0, 300)}`);
      }
      c.messages.length = 0;
    }
    row('era', `codex turn with one approval round, p50 of ${turns.length} (${label})`, pct(turns, 50).toFixed(2), 'ms');
  }
} finally {
  for (const { c, eraHome, eraWork } of Object.values(servers)) {
    await c.close();
    rmSync(eraHome, { recursive: true, force: true });
    rmSync(eraWork, { recursive: true, force: true });
  }
}
await eraMock.close();

const width = Math.max(...rows.map((r) => r.metric.length));
console.log(`| test   | ${'metric'.padEnd(width)} | value      | unit |`);
console.log(`|--------|${'-'.repeat(width + 2)}|-----------:|------|`);
for (const r of rows) console.log(`| ${r.test.padEnd(6)} | ${r.metric.padEnd(width)} | ${String(r.value).padStart(10)} | ${r.unit.padEnd(4)} |`);
