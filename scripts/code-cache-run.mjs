// The session that V8's code cache is recorded from (scripts/bundle.mjs). The cache holds the
// functions this run compiled, and only those come precompiled at the next start; everything else
// is compiled on first use, inside some client's request. So the run is what a client does first:
// the handshake, tools/list, getAuthStatus, then a conversation with a streamed answer and a shell
// command, against a local model provider made up here (no network). Kept short: a larger cache
// costs every start-up a little to load.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A chat-completions provider: first a `shell` call of `true`, then, after its output, a streamed answer. */
function startProvider() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const messages = JSON.parse(body).messages ?? [];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (messages.at(-1)?.role !== 'tool') {
        const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'shell', arguments: JSON.stringify({ command: ['true'] }) } };
        res.end(chunk({ role: 'assistant', content: null, tool_calls: [call] }) + chunk({}, 'tool_calls') + 'data: [DONE]\n\n');
        return;
      }
      let out = chunk({ role: 'assistant', content: '' });
      for (let i = 0; i < 50; i++) out += chunk({ content: 'done ' });
      res.end(out + chunk({}, 'stop') + 'data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the session with `env` added to the server's environment; resolves when the server has exited. */
export async function recordCodeCache(cliPath, env) {
  const provider = await startProvider();
  const home = mkdtempSync(join(tmpdir(), 'agentwire-cache-'));
  const work = mkdtempSync(join(tmpdir(), 'agentwire-cache-work-'));
  writeFileSync(
    join(home, 'config.toml'),
    [
      'model = "cache-model"',
      'model_provider = "local"',
      'approval_policy = "never"',
      'sandbox_mode = "danger-full-access"',
      '[model_providers.local]',
      'name = "local"',
      `base_url = "http://127.0.0.1:${provider.address().port}/v1"`,
      'wire_api = "chat"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  try {
    const child = spawn(process.execPath, [cliPath, 'mcp'], {
      env: { ...process.env, ...env, CODEX_HOME: home, AGENTWIRE_LOG: 'silent' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the code-cache run exited with ${code}`))));
    });
    const send = (message) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
    const replies = new Map();
    let turnDone;
    const turnEnded = new Promise((resolve) => (turnDone = resolve));
    let buffered = '';
    child.stdout.on('data', (data) => {
      buffered += data;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (message.id !== undefined) replies.get(message.id)?.(message);
        if (message.method === 'codex/event/task_complete' || message.method === 'codex/event/error') turnDone();
      }
    });
    let nextId = 1;
    const call = (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        replies.set(id, resolve);
        send({ id, method, params });
      });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await call('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'build', version: '0' } });
    send({ method: 'notifications/initialized' });
    await call('tools/list', {});
    await call('getAuthStatus', {});
    const created = await call('newConversation', { cwd: work });
    const conversationId = created.result?.conversationId;
    if (conversationId) {
      await call('addConversationListener', { conversationId });
      await call('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'run true' } }] });
      await turnEnded;
    }
    child.stdin.end();
    await exited;
    clearTimeout(timer);
  } finally {
    provider.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
