#!/usr/bin/env node
// Captures a rollout file written by the real codex 0.29 (`codex mcp`), for the test that checks
// agentwire lists and resumes 0.29's conversations. Not part of `npm test`: it needs codex 0.29
// installed (npm install --prefix .peers/codex029 @openai/codex@0.29.0) and the test build
// (npx tsc -p tsconfig.json) for the mock provider.
//
//   node scripts/capture-codex-rollout.mjs [--codex PATH] [--out test/fixtures/codex-0.29-rollout.jsonl]
//
// The conversation: turn 1 asks for a shell command (approval "never", so it runs without a
// prompt) and gets an answer after the tool output; turn 2 is plain text. The file is copied as
// codex wrote it; nothing in it is edited.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const codex = arg('--codex', join(root, '.peers/codex029/node_modules/.bin/codex'));
const out = arg('--out', join(root, 'test/fixtures/codex-0.29-rollout.jsonl'));

const require = createRequire(import.meta.url);
const { MockProvider } = require(join(root, 'build/test/support/mock-provider.js'));
const { mockConfig } = require(join(root, 'build/test/support/engine-home.js'));

const mock = await MockProvider.start();
const home = mkdtempSync(join(tmpdir(), 'codex029-capture-home-'));
const work = mkdtempSync(join(tmpdir(), 'codex029-capture-work-'));
writeFileSync(join(home, 'config.toml'), mockConfig(mock.url, { approvalPolicy: 'never', sandboxMode: 'danger-full-access' }));

const proc = spawn(codex, ['mcp'], { env: { ...process.env, CODEX_HOME: home, RUST_LOG: 'error' }, stdio: ['pipe', 'pipe', 'inherit'] });
const messages = [];
const waiters = [];
let buffer = '';
proc.stdout.setEncoding('utf8');
proc.stdout.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) !== -1) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.match(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  }
});

function waitFor(match, what, timeoutMs = 30_000) {
  const seen = messages.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
  });
}

let nextId = 1;
async function request(method, params) {
  const id = nextId++;
  proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  const reply = await waitFor((m) => m.id === id && !('method' in m), `reply to ${method}`);
  if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

function newestRollout(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.jsonl')) files.push(p);
    }
  };
  walk(dir);
  if (files.length !== 1) throw new Error(`expected one rollout under ${dir}, found ${files.length}`);
  return files[0];
}

try {
  await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'capture', version: '0' } });
  proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  const { conversationId } = await request('newConversation', { cwd: work });
  await request('addConversationListener', { conversationId });

  mock.enqueue(
    { kind: 'tool_call', name: 'shell', callId: 'call_capture_1', arguments: { command: ['echo', 'captured'] } },
    { kind: 'text', text: 'The command printed captured.' },
    { kind: 'text', text: 'Still captured.' },
  );
  const turnDone = (n) => {
    let seen = 0;
    return waitFor((m) => m.method === 'codex/event/task_complete' && m.params?.conversationId === conversationId && ++seen === n, `task_complete #${n}`);
  };
  const first = turnDone(1);
  await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'run echo for me' } }] });
  await first;
  const second = turnDone(2);
  await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'and what now?' } }] });
  await second;

  // codex writes its rollout from a background task; closing stdin lets it finish before exit.
  proc.stdin.end();
  await new Promise((resolve) => proc.once('exit', resolve));
  const file = newestRollout(join(home, 'sessions'));
  copyFileSync(file, out);
  process.stdout.write(`captured ${file}\n      -> ${out}\n`);
} finally {
  if (proc.exitCode === null) proc.kill('SIGKILL');
  await mock.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
