#!/usr/bin/env node
// `npm run demo`: starts `agentwire mcp` as a child process, acts as its MCP client, and prints
// the session readably. Nothing is installed; dist/ is built first if it is missing or stale.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

async function askYesNo(question) {
  if (!process.stdin.isTTY) {
    say(paint(c.yellow, `${question} [y/n] y`) + paint(c.dim, '  (no terminal: approving)'));
    return true;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise((resolve) => rl.question(paint(c.yellow, `${question} [y/n] `), resolve));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function showChanges(changes) {
  for (const [path, change] of Object.entries(changes)) {
    const rel = path.startsWith(work) ? path.slice(work.length + 1) : path;
    if (change.add) say(paint(c.green, `    + ${rel} (new file)\n`) + change.add.content.split('\n').filter(Boolean).map((l) => paint(c.green, `      ${l}`)).join('\n'));
    else if (change.update) say(`    ~ ${rel}\n${change.update.unified_diff}`);
    else if (change.delete) say(`    - ${rel}`);
  }
}

try {
  say(paint(c.bold, 'agentwire demo') + paint(c.dim, `  (server: node dist/cli.js mcp; offline model "agentwire-demo"; work folder ${work})`));
  const init = await request('initialize', { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'agentwire-demo', version: '1' } });
  server.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  say(paint(c.dim, `connected to ${init.serverInfo.name} ${init.serverInfo.version} over MCP ${init.protocolVersion}`));

  const { conversationId, model } = await request('newConversation', { cwd: work });
  say(paint(c.dim, `conversation ${conversationId} (model ${model}, approval policy untrusted)`));

  let streaming = false;
  const turnDone = new Promise((resolve) => {
    notificationHandlers.push((msg) => {
      if (!msg.method.startsWith('codex/event/')) return;
      const ev = msg.params.msg;
      const endLine = () => { if (streaming) { process.stdout.write('\n'); streaming = false; } };
      switch (ev.type) {
        case 'agent_message_delta':
          if (!streaming) { process.stdout.write(paint(c.bold, '\nagent: ')); streaming = true; }
          process.stdout.write(ev.delta);
          break;
        case 'agent_message': endLine(); break;
        case 'exec_command_begin': endLine(); say(paint(c.cyan, `\n$ ${ev.parsed_cmd.map((p) => p.cmd).join(' ')}`)); break;
        case 'exec_command_output_delta': process.stdout.write(paint(c.dim, Buffer.from(ev.chunk).toString('utf8'))); break;
        case 'exec_command_end': say(paint(c.dim, `(exit code ${ev.exit_code})`)); break;
        case 'patch_apply_end': say(ev.success ? paint(c.green, ev.stdout.trimEnd()) : paint(c.yellow, ev.stderr.trimEnd())); break;
        case 'task_complete': endLine(); resolve(ev.last_agent_message); break;
        case 'turn_aborted': endLine(); resolve(null); break;
        case 'error': endLine(); say(paint(c.yellow, `error: ${ev.message}`)); break;
      }
    });
  });
  requestHandlers.set('execCommandApproval', async (p) => {
    say(paint(c.yellow, `\nThe agent wants to run: ${p.command.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}  (in ${p.cwd})`));
    return { decision: (await askYesNo('Allow this command?')) ? 'approved' : 'denied' };
  });
  requestHandlers.set('applyPatchApproval', async (p) => {
    say(paint(c.yellow, '\nThe agent proposes this change:'));
    showChanges(p.file_changes);
    return { decision: (await askYesNo('Apply it?')) ? 'approved' : 'denied' };
  });

  await request('addConversationListener', { conversationId });
  const prompt = 'Have a look at this project and leave me a short note about what is in it.';
  say(paint(c.bold, `\nyou: `) + prompt);
  await request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: prompt } }] });
  const last = await turnDone;
  say(paint(c.dim, `\nturn complete; last agent message: ${JSON.stringify(last)}`));
  try {
    say(paint(c.dim, `NOTES.md now reads:\n`) + readFileSync(join(work, 'NOTES.md'), 'utf8'));
  } catch {
    say(paint(c.dim, 'NOTES.md was not written.'));
  }
  finish(0);
} catch (err) {
  process.stderr.write(`demo failed: ${err.message}\n`);
  finish(1);
}
