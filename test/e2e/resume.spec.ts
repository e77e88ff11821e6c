import { expect } from 'chai';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { mockConfig } from '../support/engine-home';
import { McpTestClient } from '../support/mcp-client';
import { HomeServer } from '../support/home-server';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** Each string appears in `text`, in this order. */
function expectInOrder(text: string, parts: string[]): void {
  let at = -1;
  for (const part of parts) {
    const next = text.indexOf(part, at + 1);
    expect(next, `"${part}" after position ${at}`).to.be.greaterThan(at);
    at = next;
  }
}

/** Waits for a text on the server's stderr (the log goes there), listening to the stream itself. */
function stderrShows(client: McpTestClient, text: string, timeoutMs = 5000): Promise<boolean> {
  if (client.stderr.includes(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (found: boolean) => {
      clearTimeout(timer);
      client.proc.stderr.off('data', onData);
      resolve(found);
    };
    // The client appends each chunk to `stderr` from its own listener, registered first.
    const onData = () => {
      if (client.stderr.includes(text)) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    client.proc.stderr.on('data', onData);
  });
}

function rolloutFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.jsonl'))
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile());
}

describe('conversations that outlive the process (WIRE.md §5.14, §4.3)', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let server: HomeServer | undefined;

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'never' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-resume-work-'));
    server = await HomeServer.start(home.path);
  });

  afterEach(async () => {
    await server?.close();
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const restart = async (): Promise<HomeServer> => {
    await server!.kill();
    server = await HomeServer.start(home.path);
    return server;
  };

  /** Two turns, the first with a shell call: the conversation the restart tests continue. */
  async function twoTurns(): Promise<string> {
    mock.enqueue(
      { kind: 'tool_call', name: 'shell', callId: 'call_echo', arguments: { command: ['echo', 'tool-said-hi'] } },
      { kind: 'text', text: 'first answer' },
      { kind: 'text', text: 'second answer' },
    );
    const id = await server!.listened({ cwd: work });
    await server!.turn(id, 'first question', '0');
    await server!.turn(id, 'second question', '1');
    return id;
  }

  it('a conversation that ran no turn: its settings record is written when the server stops, not at creation; listed with its model meanwhile', async () => {
    const { conversationId: id } = await server!.result('newConversation', { cwd: work, model: 'other-model' });
    const [file] = rolloutFiles(join(home.path, 'sessions'));
    // What 0.29 writes for a new conversation: the session line and the environment context.
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l)
        .map((l) => JSON.parse(l).record_type ?? JSON.parse(l).type ?? 'session'),
    ).to.deep.equal(['session', 'message']);
    const live = await server!.result('listConversations', {});
    expect(live.items[0]).to.include({ conversationId: id, cwd: work, model: 'other-model' });

    await server!.close();
    expect(readFileSync(file, 'utf8')).to.contain('"record_type":"agentwire_settings","model":"other-model"');
    server = await HomeServer.start(home.path);
    const listed = await server.result('listConversations', {});
    expect(listed.items[0]).to.include({ conversationId: id, cwd: work, model: 'other-model' });
    const resumed = await server.result('resumeConversation', { conversationId: id });
    expect(resumed.model).to.equal('other-model');
  });

  it('lists a conversation after SIGKILL and a restart, and resumes it with its whole history', async () => {
    const id = await twoTurns();
    const [file] = rolloutFiles(join(home.path, 'sessions'));
    const s = await restart();

    const list = await s.result('listConversations', {});
    expect(list.nextCursor).to.equal(undefined);
    expect(list.items).to.have.length(1);
    expect(list.items[0]).to.include({ conversationId: id, path: file, preview: 'first question', cwd: work, model: 'mock-model' });
    expect(Date.parse(list.items[0].timestamp)).to.be.within(Date.now() - 60_000, Date.now());

    const resumed = await s.result('resumeConversation', { conversationId: id });
    expect(resumed.conversationId).to.equal(id);
    expect(resumed.model).to.equal('mock-model');
    expect(resumed.initialMessages).to.deep.equal([
      { type: 'user_message', message: 'first question' },
      { type: 'tool_call', call_id: 'call_echo', name: 'shell', arguments: '{"command":["echo","tool-said-hi"]}' },
      { type: 'tool_output', call_id: 'call_echo', output: resumed.initialMessages[2].output },
      { type: 'agent_message', message: 'first answer' },
      { type: 'user_message', message: 'second question' },
      { type: 'agent_message', message: 'second answer' },
    ]);
    expect(resumed.initialMessages[2].output).to.contain('tool-said-hi');

    // Events start again as for a new conversation: a listener, then submission "0".
    await s.result('addConversationListener', { conversationId: id });
    const before = mock.requests.length;
    mock.enqueue({ kind: 'text', text: 'third answer' });
    const done = await s.turn(id, 'third question', '0');
    expect(done.params.msg.last_agent_message).to.equal('third answer');
    const body = JSON.stringify(mock.requests[before].body);
    expectInOrder(body, ['<environment_context>', 'first question', 'tool-said-hi', 'first answer', 'second question', 'second answer', 'third question']);
    expect(body.match(/<environment_context>/g)).to.have.length(1);

    // The same file goes on; no second rollout.
    const files = rolloutFiles(join(home.path, 'sessions'));
    expect(files).to.deep.equal([file]);
    expectInOrder(readFileSync(file, 'utf8'), ['first question', 'second answer', 'agentwire_turn', 'third question', 'third answer']);
  });

  it('codex-reply with the old session id continues after a restart; an id with no rollout is "Session not found"', async () => {
    mock.enqueue({ kind: 'text', text: 'tool answer one' });
    const first = await server!.result('tools/call', { name: 'codex', arguments: { prompt: 'remember the word zebra', cwd: work } });
    const sessionId = first.structuredContent.sessionId as string;
    const s = await restart();

    mock.enqueue({ kind: 'text', text: 'the word was zebra' });
    const reply = await s.result('tools/call', { name: 'codex-reply', arguments: { sessionId, prompt: 'what was the word?' } });
    expect(reply.isError).to.not.equal(true);
    expect((reply.content as unknown[])[0]).to.deep.equal({ type: 'text', text: 'the word was zebra' });
    expect(reply.structuredContent.sessionId).to.equal(sessionId);
    expectInOrder(JSON.stringify(mock.requests[1].body), ['remember the word zebra', 'tool answer one', 'what was the word?']);
    // The turn's events went to the tools/call, not to listeners.
    expect(s.client.messages.some((m) => m.method === 'codex/event' && m.params?.msg?.type === 'task_complete')).to.equal(true);

    for (const unknown of [ZERO_UUID, 'not-a-uuid']) {
      const missing = await s.result('tools/call', { name: 'codex-reply', arguments: { sessionId: unknown, prompt: 'x' } });
      expect(missing).to.deep.include({ isError: true, content: [{ type: 'text', text: `Session not found for session_id: ${unknown}` }] });
    }
  });

  it('resumes with overrides: the next request uses them, and a later resume keeps them', async () => {
    const id = await twoTurns();
    let s = await restart();
    const other = mkdtempSync(join(tmpdir(), 'agentwire-resume-other-'));
    try {
      const resumed = await s.result('resumeConversation', { conversationId: id, overrides: { model: 'other-model', cwd: other, approvalPolicy: 'on-request' } });
      expect(resumed.model).to.equal('other-model');
      await s.result('addConversationListener', { conversationId: id });
      mock.enqueue({ kind: 'text', text: 'moved' });
      const before = mock.requests.length;
      await s.turn(id, 'where are you now?', '0');
      const body = mock.requests[before].body;
      expect(body.model).to.equal('other-model');
      // The model hears of the new cwd and policy in a second environment context.
      expectInOrder(JSON.stringify(body), [`<cwd>${work}</cwd>`, 'second answer', `<cwd>${other}</cwd>`, 'on-request', 'where are you now?']);

      s = await restart();
      expect((await s.result('resumeConversation', { conversationId: id })).model).to.equal('other-model');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('resumeConversation: by path, a live id answers itself, and the errors', async () => {
    const id = await twoTurns();
    const [file] = rolloutFiles(join(home.path, 'sessions'));

    // Live: the same conversation, no second copy or file.
    const live = await server!.result('resumeConversation', { conversationId: id });
    expect(live.conversationId).to.equal(id);
    expect(live.initialMessages).to.have.length(6);
    expect(rolloutFiles(join(home.path, 'sessions'))).to.have.length(1);

    const s = await restart();
    const byPath = await s.result('resumeConversation', { path: file });
    expect(byPath.conversationId).to.equal(id);

    const neither = await s.request('resumeConversation', {});
    expect(neither.error.code).to.equal(-32602);
    expect(neither.error.message).to.contain('conversationId');
    expect((await s.request('resumeConversation', { conversationId: 'nope' })).error.code).to.equal(-32602);
    expect((await s.request('resumeConversation', { conversationId: id, overrides: { approvalPolicy: 'sometimes' } })).error.code).to.equal(-32602);
    const unknown = await s.request('resumeConversation', { conversationId: ZERO_UUID });
    expect(unknown.error.code).to.equal(-32600);
    expect(unknown.error.message).to.contain(`conversation not found: ${ZERO_UUID}`).and.to.contain('no rollout');
    const notRollout = await s.request('resumeConversation', { path: join(home.path, 'config.toml') });
    expect(notRollout.error.code).to.equal(-32600);
    expect(notRollout.error.message).to.contain('not inside');
    const missing = await s.request('resumeConversation', { path: join(home.path, 'nope.jsonl') });
    expect(missing.error).to.deep.equal({ code: -32600, message: `rollout file not found: ${join(home.path, 'nope.jsonl')}` });
    const wrongId = await s.request('resumeConversation', { path: file, conversationId: ZERO_UUID });
    expect(wrongId.error.code).to.equal(-32600);
    expect(wrongId.error.message).to.contain('belongs to conversation');
  });

  it('forks a live conversation less its last turn, and a rollout after a restart', async () => {
    const id = await twoTurns();
    const fork = await server!.result('forkConversation', { conversationId: id, dropLastTurns: 1 });
    expect(fork.conversationId).to.not.equal(id);
    expect(fork.model).to.equal('mock-model');
    const files = rolloutFiles(join(home.path, 'sessions'));
    expect(files).to.have.length(2);
    const forkFile = files.find((f) => f.endsWith(`-${fork.conversationId}.jsonl`))!;
    expect(readFileSync(forkFile, 'utf8')).to.contain('first answer').and.not.to.contain('second question');

    await server!.result('addConversationListener', { conversationId: fork.conversationId });
    mock.enqueue({ kind: 'text', text: 'forked answer' });
    let before = mock.requests.length;
    await server!.turn(fork.conversationId, 'a different second question', '0');
    let body = JSON.stringify(mock.requests[before].body);
    expectInOrder(body, ['first question', 'tool-said-hi', 'first answer', 'a different second question']);
    expect(body).to.not.contain('second answer');

    const tooMany = await server!.request('forkConversation', { conversationId: id, dropLastTurns: 3 });
    expect(tooMany.error).to.deep.equal({ code: -32600, message: `cannot drop 3 turns: conversation ${id} has 2` });
    expect((await server!.request('forkConversation', { conversationId: id, dropLastTurns: -1 })).error.code).to.equal(-32602);

    // From the rollout, after a restart: the whole history, and the fork's own file.
    const s = await restart();
    const again = await s.result('forkConversation', { conversationId: fork.conversationId });
    await s.result('addConversationListener', { conversationId: again.conversationId });
    mock.enqueue({ kind: 'text', text: 'fork of a fork' });
    before = mock.requests.length;
    await s.turn(again.conversationId, 'third level', '0');
    body = JSON.stringify(mock.requests[before].body);
    expectInOrder(body, ['first question', 'first answer', 'a different second question', 'forked answer', 'third level']);
    expect(rolloutFiles(join(home.path, 'sessions'))).to.have.length(3);
    // The copy keeps the turn boundaries: dropping one turn of the fork of the fork leaves turn 1.
    const trimmed = await s.result('forkConversation', { conversationId: again.conversationId, dropLastTurns: 2 });
    const listed = await s.result('listConversations', { pageSize: 10 });
    expect(listed.items.map((i: any) => i.conversationId)).to.include(trimmed.conversationId);
    const trimmedRollout = readFileSync(listed.items.find((i: any) => i.conversationId === trimmed.conversationId).path, 'utf8');
    expect(trimmedRollout).to.contain('first answer').and.not.to.contain('a different second question');
  });

  it('a fork of a conversation in the middle of a turn leaves that turn out', async () => {
    const id = await twoTurns();
    mock.enqueue({ kind: 'stall', after: 'partial' });
    await server!.result('sendUserMessage', { conversationId: id, items: [{ type: 'text', data: { text: 'third, still running' } }] });
    await mock.waitForRequests(4);
    const fork = await server!.result('forkConversation', { conversationId: id, dropLastTurns: 1 });
    await server!.result('interruptConversation', { conversationId: id });
    await server!.result('addConversationListener', { conversationId: fork.conversationId });
    mock.enqueue({ kind: 'text', text: 'fork answer' });
    const before = mock.requests.length;
    await server!.turn(fork.conversationId, 'instead of the second', '0');
    const body = JSON.stringify(mock.requests[before].body);
    expectInOrder(body, ['first question', 'first answer', 'instead of the second']);
    expect(body).to.not.contain('second question').and.not.to.contain('third, still running');
  });

  it('archives: the rollout moves to archived_sessions, is no longer listed, and a live conversation ends', async () => {
    const id = await twoTurns();
    const keep = await server!.listened({ cwd: work });
    const [file] = rolloutFiles(join(home.path, 'sessions')).filter((f) => f.endsWith(`-${id}.jsonl`));

    const outside = await server!.request('archiveConversation', { conversationId: id, rolloutPath: join(home.path, 'config.toml') });
    expect(outside.error.code).to.equal(-32600);
    expect(outside.error.message).to.contain('not inside');
    const otherId = await server!.request('archiveConversation', { conversationId: keep, rolloutPath: file });
    expect(otherId.error.message).to.contain('does not belong');
    expect((await server!.request('archiveConversation', { conversationId: id })).error.code).to.equal(-32602);

    expect(await server!.result('archiveConversation', { conversationId: id, rolloutPath: file })).to.deep.equal({});
    expect(existsSync(file)).to.equal(false);
    const archived = join(home.path, 'archived_sessions', basename(file));
    expect(readFileSync(archived, 'utf8')).to.contain('second answer');

    // Ended: no longer live, and not resumable by id either.
    const send = await server!.request('sendUserMessage', { conversationId: id, items: [] });
    expect(send.error).to.deep.equal({ code: -32600, message: `conversation not found: ${id}` });
    const list = await server!.result('listConversations', {});
    expect(list.items.map((i: any) => i.conversationId)).to.deep.equal([keep]);
    const reply = await server!.result('tools/call', { name: 'codex-reply', arguments: { sessionId: id, prompt: 'x' } });
    expect(reply.isError).to.equal(true);
    expect(reply.content[0].text).to.equal(`Session not found for session_id: ${id}`);
  });

  it('a rollout with a cut last line lists and resumes, with a warning, and goes on on a new line', async () => {
    const id = await twoTurns();
    const [file] = rolloutFiles(join(home.path, 'sessions'));
    await server!.kill();
    appendFileSync(file, '{"type":"message","id":null,"role":"assistant","content":[{"type":"output_te');
    server = await HomeServer.start(home.path);
    const s = server;

    const list = await s.result('listConversations', {});
    expect(list.items.map((i: any) => i.conversationId)).to.deep.equal([id]);
    const resumed = await s.result('resumeConversation', { conversationId: id });
    expect(resumed.initialMessages).to.have.length(6);
    expect(await stderrShows(s.client, 'last line is cut')).to.equal(true);

    await s.result('addConversationListener', { conversationId: id });
    mock.enqueue({ kind: 'text', text: 'after the cut' });
    await s.turn(id, 'still there?', '0');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.endsWith('"output_te'));
    expect(cut).to.be.greaterThan(0);
    expect(JSON.parse(lines[cut + 1])).to.include({ record_type: 'agentwire_turn' });

    const again = await restart();
    const resumedAgain = await again.result('resumeConversation', { conversationId: id });
    expect(resumedAgain.initialMessages.slice(-2)).to.deep.equal([
      { type: 'user_message', message: 'still there?' },
      { type: 'agent_message', message: 'after the cut' },
    ]);
  });

  it('lists and resumes a rollout written by codex 0.29 (captured fixture)', async () => {
    const name = 'rollout-2026-11-25T10-01-10-570f1574-699e-4da2-a429-70312f6827d8.jsonl';
    const id = '570f1574-699e-4da2-a429-70312f6827d8';
    const dir = join(home.path, 'sessions', '2026', '11', '25');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(FIXTURES, 'codex-0.29-rollout.jsonl'), join(dir, name));
    const mine = await server!.listened({ cwd: work });

    const list = await server!.result('listConversations', { pageSize: 1 });
    expect(list.items).to.have.length(1);
    const second = await server!.result('listConversations', { pageSize: 1, cursor: list.nextCursor });
    expect(second.nextCursor).to.equal(undefined);
    const rows = [...list.items, ...second.items];
    expect(rows.map((r: any) => r.conversationId)).to.have.members([mine, id]);
    const old = rows.find((r: any) => r.conversationId === id);
    expect(old).to.include({ path: join(dir, name), preview: 'run echo for me' });
    expect(old.cwd).to.match(/codex029-capture-work-/);
    expect(old).to.not.have.property('model');
    expect((await server!.request('listConversations', { cursor: 'garbage' })).error.code).to.equal(-32602);

    const resumed = await server!.result('resumeConversation', { conversationId: id, overrides: { cwd: work } });
    expect(resumed.conversationId).to.equal(id);
    expect(resumed.model).to.equal('mock-model');
    expect(resumed.initialMessages.map((m: any) => m.type)).to.deep.equal(['user_message', 'tool_call', 'tool_output', 'agent_message', 'user_message', 'agent_message']);
    expect(resumed.initialMessages[0].message).to.equal('run echo for me');

    await server!.result('addConversationListener', { conversationId: id });
    mock.enqueue({ kind: 'text', text: 'resumed from 0.29' });
    const before = mock.requests.length;
    await server!.turn(id, 'one more', '0');
    expectInOrder(JSON.stringify(mock.requests[before].body), [
      'run echo for me',
      'call_capture_1',
      'captured',
      'The command printed captured.',
      'and what now?',
      'Still captured.',
      `<cwd>${work}</cwd>`,
      'one more',
    ]);

    // The file keeps 0.29's first lines and gains agentwire's settings record; a restart resumes it again.
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text.startsWith(readFileSync(join(FIXTURES, 'codex-0.29-rollout.jsonl'), 'utf8'))).to.equal(true);
    const s = await restart();
    const again = await s.result('resumeConversation', { conversationId: id });
    expect(again.initialMessages.slice(-1)).to.deep.equal([{ type: 'agent_message', message: 'resumed from 0.29' }]);
  });

  it('pipelines addConversationListener right behind resumeConversation', async () => {
    const id = await twoTurns();
    const s = await restart();
    const resume = s.client.request('resumeConversation', { conversationId: id });
    const listen = s.client.request('addConversationListener', { conversationId: id });
    expect((await resume).result.conversationId).to.equal(id);
    expect((await listen).result.subscriptionId).to.match(/^[0-9a-f-]{36}$/);
  });
});
