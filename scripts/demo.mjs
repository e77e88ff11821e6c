#!/usr/bin/env node
// `npm run demo`: starts `agentwire mcp` as a child process, acts as its MCP client, and prints
// the session readably in 80 columns. Nothing is installed; dist/ is built first if it is missing
// or stale. At a terminal the approvals are asked for (Enter, "n" or Ctrl-D decline); without
// one they are approved. The temporary folder is removed on every way out: the end, an error,
// Ctrl-C, SIGTERM, SIGHUP.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { quote } from 'shell-quote';
import { ensureBuilt } from './ensure-built.mjs';

const WIDTH = 80;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureBuilt(root);

const base = mkdtempSync(join(tmpdir(), 'agentwire-demo-'));
const home = join(base, 'home');
const work = join(base, 'work');
let server;
let exiting = false;
let prompt; // the readline interface of the approval question being asked, if any
let inputEnded = false;

function removeTempFolder() {
  rmSync(base, { recursive: true, force: true });
}
// The last resort (an exception nobody caught): the server is stopped at once, then the folder
// goes. Every other way out goes through shutdown(), which lets the server end first.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  removeTempFolder();
});

/** Stops the server (stdin closed, or a signal), waits for it, removes the folder and exits. */
async function shutdown(code, viaSignal = false) {
  if (exiting) return;
  exiting = true;
  prompt?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    if (viaSignal) server.kill('SIGTERM');
    else server.stdin.end();
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  removeTempFolder();
  process.exit(code);
}

function interrupted(signal, code) {
  if (!exiting) process.stdout.write(`\n(${signal}: stopping the demo)\n`);
  void shutdown(code, true);
}
process.on('SIGINT', () => interrupted('interrupted', 130));
process.on('SIGTERM', () => interrupted('SIGTERM', 143));
process.on('SIGHUP', () => interrupted('SIGHUP', 129));
// A reader that goes away (`npm run demo | head`) ends the demo, not an EPIPE exception.
process.stdout.on('error', () => void shutdown(1));

mkdirSync(home);
mkdirSync(work);
writeFileSync(join(home, 'config.toml'), 'model = "demo"\nmodel_provider = "agentwire-demo"\napproval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n');
writeFileSync(join(work, 'README.md'), '# A tiny project\n');
writeFileSync(join(work, 'hello.txt'), 'hello\n');

const c = {
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
  cyan: (s) => `\x1b[36m${s}\x1b[0m`,
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
};
const plain = !process.stdout.isTTY;
const paint = (fn, s) => (plain || s === '' ? s : fn(s));
const say = (s = '') => process.stdout.write(s + '\n');

/** `text` broken at spaces into lines of at most WIDTH columns, the first after `lead`, the rest indented. */
function wrap(text, lead, indent = '  ') {
  const lines = [];
  let line = lead;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const started = line.trim() !== '';
    if (started && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line += (started ? ' ' : '') + word;
  }
  lines.push(line);
  return lines;
}

/** The streamed agent message, wrapped as it arrives: the column carries over between deltas. */
const AGENT = 'agent: ';
const stream = { open: false, column: 0, space: false };
function streamText(delta) {
  if (!stream.open) {
    process.stdout.write('\n' + paint(c.bold, AGENT));
    Object.assign(stream, { open: true, column: AGENT.length, space: false });
  }
  for (const piece of delta.match(/\s+|\S+/g) ?? []) {
    if (/^\s/.test(piece)) {
      if (piece.includes('\n')) {
        process.stdout.write('\n' + ' '.repeat(AGENT.length));
        Object.assign(stream, { column: AGENT.length, space: false });
      } else if (stream.column > AGENT.length) stream.space = true;
      continue;
    }
    if (stream.column > AGENT.length && stream.column + 1 + piece.length > WIDTH) {
      process.stdout.write('\n' + ' '.repeat(AGENT.length));
      Object.assign(stream, { column: AGENT.length, space: false });
    }
    process.stdout.write((stream.space ? ' ' : '') + piece);
    stream.column += (stream.space ? 1 : 0) + piece.length;
    stream.space = false;
  }
}
function endStream() {
  if (stream.open) process.stdout.write('\n');
  stream.open = false;
}

/** A command as a shell would read it, the same way for the approval and for the run. */
const shellLine = (argv) => quote(argv);
const where = (cwd) => (cwd === work ? 'the work folder' : cwd);

/**
 * y/yes approves; anything else declines. At a terminal, Ctrl-D (end of input) declines this and
 * every later question, and Ctrl-C stops the demo. Without a terminal every question is approved.
 */
async function askYesNo(question) {
  const ask = `${question} [y/N] `;
  if (!process.stdin.isTTY) {
    say(paint(c.yellow, `${ask}y`) + paint(c.dim, '  (no terminal: approving)'));
    return true;
  }
  if (inputEnded) {
    say(paint(c.yellow, `${ask}n`) + paint(c.dim, '  (input ended: declining)'));
    return false;
  }
  prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise((resolve) => {
    prompt.on('close', () => resolve(null));
    // In raw mode Ctrl-C reaches readline as a key, not as a signal to the process.
    prompt.on('SIGINT', () => resolve(undefined));
    prompt.question(paint(c.yellow, ask), resolve);
  });
  prompt.close();
  prompt = undefined;
  if (exiting) return new Promise(() => {}); // shutdown() closed the question
  if (answer === undefined) {
    interrupted('interrupted', 130);
    return new Promise(() => {}); // the process is exiting
  }
  if (answer === null) {
    inputEnded = true;
    say(paint(c.dim, 'n  (end of input: declining)'));
    return false;
  }
  const yes = /^y(es)?$/i.test(answer.trim());
  if (!yes) say(paint(c.dim, '(declined)'));
  return yes;
}

/** The proposed change, file by file; a new file's blank lines are kept. */
function showChanges(changes) {
  for (const [path, change] of Object.entries(changes)) {
    const rel = path.startsWith(work + '/') ? path.slice(work.length + 1) : path;
    if (change.add) {
      say(paint(c.green, `    + ${rel} (new file)`));
      const lines = change.add.content.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const line of lines) say(line === '' ? '' : paint(c.green, `      ${line}`));
    } else if (change.update) {
      say(`    ~ ${rel}`);
      say(change.update.unified_diff.replace(/\n$/, ''));
    } else if (change.delete) say(`    - ${rel}`);
  }
}

try {
  // The typed client of agentwire/client (build/src/client), built above with the server.
  const { connect } = createRequire(import.meta.url)(join(root, 'build', 'src', 'client', 'index.js'));
  const client = connect({ command: process.execPath, args: [join(root, 'dist', 'cli.js'), 'mcp'], env: { ...process.env, CODEX_HOME: home } });
  server = client.process;
  server.on('exit', (code, signal) => {
    if (exiting) return;
    process.stderr.write(`demo failed: the server exited early (${signal ?? `exit code ${code}`})\n`);
    void shutdown(1);
  });

  say(paint(c.bold, 'agentwire demo') + paint(c.dim, ': this script is an MCP client of `node dist/cli.js mcp`,'));
  say(paint(c.dim, 'which runs the bundled offline model (no network, no account).'));
  for (const line of wrap(base, 'Temporary folder (removed at exit):')) say(paint(c.dim, line));
  say(paint(c.dim, "  home/ is the server's CODEX_HOME; work/ is the project the agent looks at."));
  const init = await client.initialize({ elicitation: {} }, { name: 'agentwire-demo', version: '1' });
  say(paint(c.dim, `Connected to ${init.serverInfo.name} ${init.serverInfo.version} over MCP ${init.protocolVersion}.`));

  const { conversationId, model } = await client.request('newConversation', { cwd: work });
  say(paint(c.dim, `Conversation ${conversationId}`));
  say(paint(c.dim, `  model ${model}, approval policy untrusted, sandbox workspace-write`));

  const turnDone = new Promise((resolve) => {
    client.onAnyEvent((ev) => {
      switch (ev.type) {
        case 'agent_message_delta':
          streamText(ev.delta);
          break;
        case 'agent_message':
          endStream();
          break;
        case 'exec_command_begin':
          endStream();
          say(paint(c.cyan, `\n$ ${shellLine(ev.command)}`));
          break;
        case 'exec_command_output_delta':
          process.stdout.write(paint(c.dim, Buffer.from(ev.chunk).toString('utf8')));
          break;
        case 'exec_command_end':
          say(paint(c.dim, `(exit code ${ev.exit_code})`));
          break;
        case 'patch_apply_end':
          say(ev.success ? paint(c.green, ev.stdout.trimEnd()) : paint(c.yellow, ev.stderr.trimEnd()));
          break;
        case 'task_complete':
          endStream();
          resolve(ev.last_agent_message);
          break;
        case 'turn_aborted':
          endStream();
          resolve(null);
          break;
        case 'error':
          endStream();
          for (const l of wrap(ev.message, 'error:')) say(paint(c.yellow, l));
          break;
      }
    });
  });
  client.onApproval(async ({ kind, params: p }) => {
    if (kind === 'exec') {
      say(paint(c.yellow, `\nThe agent wants to run, in ${where(p.cwd)}:`));
      say(paint(c.yellow, `$ ${shellLine(p.command)}`));
      return (await askYesNo('Allow this command?')) ? 'approved' : 'denied';
    }
    if (kind === 'patch') {
      say(paint(c.yellow, '\nThe agent proposes this change:'));
      showChanges(p.file_changes);
      return (await askYesNo('Apply it?')) ? 'approved' : 'denied';
    }
    return 'denied';
  });

  await client.request('addConversationListener', { conversationId });
  const text = 'Have a look at this project and leave me a short note about what is in it.';
  say('');
  for (const line of wrap(text, 'you:', '     ')) say(line.replace(/^you:/, paint(c.bold, 'you:')));
  await client.request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text } }] });
  const last = await turnDone;
  say(paint(c.dim, last === null ? '\nThe turn was aborted.' : '\nThe turn is complete.'));
  let notes;
  try {
    notes = readFileSync(join(work, 'NOTES.md'), 'utf8');
  } catch {
    notes = undefined;
  }
  if (notes === undefined) say(paint(c.dim, 'NOTES.md was not written.'));
  else say(paint(c.dim, 'NOTES.md now reads:\n') + notes.replace(/\n$/, ''));
  say(paint(c.dim, 'End of the demo; the temporary folder is removed.'));
  await shutdown(0);
} catch (err) {
  if (!exiting) {
    process.stderr.write(`demo failed: ${err.message}\n`);
    await shutdown(1);
  }
}
