#!/usr/bin/env node
// `npm run demo`: starts `agentwire mcp` as a child process, acts as its MCP client, and prints
// the session readably. Nothing is installed; dist/ is built first if it is missing or stale.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureBuilt(root);

const home = mkdtempSync(join(tmpdir(), 'agentwire-demo-home-'));
const work = mkdtempSync(join(tmpdir(), 'agentwire-demo-work-'));
writeFileSync(join(home, 'config.toml'), 'model = "demo"\nmodel_provider = "agentwire-demo"\napproval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n');
writeFileSync(join(work, 'README.md'), '# A tiny project\n');
writeFileSync(join(work, 'hello.txt'), 'hello\n');

const c = { dim: (s) => `\x1b[2m${s}\x1b[0m`, bold: (s) => `\x1b[1m${s}\x1b[0m`, cyan: (s) => `\x1b[36m${s}\x1b[0m`, green: (s) => `\x1b[32m${s}\x1b[0m`, yellow: (s) => `\x1b[33m${s}\x1b[0m` };
const plain = !process.stdout.isTTY;
const paint = (fn, s) => (plain ? s : fn(s));
const say = (s = '') => process.stdout.write(s + '\n');

const server = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'mcp'], {
  env: { ...process.env, CODEX_HOME: home },
  stdio: ['pipe', 'pipe', 'inherit'],
});
let nextId = 1;
const pending = new Map();
const notificationHandlers = [];
const requestHandlers = new Map();

createInterface({ input: server.stdout }).on('line', async (line) => {
  const msg = JSON.parse(line);
  if (msg.method && msg.id !== undefined) {
    const handler = requestHandlers.get(msg.method);
    const result = handler ? await handler(msg.params) : {};
    server.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }) + '\n');
  } else if (msg.method) {
    for (const h of notificationHandlers) h(msg);
  } else if (pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
  }
});

function request(method, params) {
  const id = nextId++;
  server.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  return new Promise((resolve, reject) => pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result))));
}

function finish(code) {
  server.stdin.end();
  server.once('exit', () => {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  });
}

try {
  say(paint(c.bold, 'agentwire demo') + paint(c.dim, `  (server: node dist/cli.js mcp, home ${home})`));
  const init = await request('initialize', { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'agentwire-demo', version: '1' } });
  server.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  say(paint(c.dim, `→ initialize: ${init.serverInfo.name} ${init.serverInfo.version}, MCP ${init.protocolVersion}`));
  const { tools } = await request('tools/list', {});
  say(paint(c.dim, `→ tools/list: ${tools.length ? tools.map((t) => t.name).join(', ') : '(no MCP tools yet)'}`));
  const auth = await request('getAuthStatus', {});
  say(paint(c.dim, `→ getAuthStatus: ${JSON.stringify(auth)}`));
  finish(0);
} catch (err) {
  process.stderr.write(`demo failed: ${err.message}\n`);
  finish(1);
}
