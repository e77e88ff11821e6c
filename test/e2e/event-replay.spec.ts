import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture, mockConfig } from '../support/engine-home';
import { McpTestClient, type JsonMessage } from '../support/mcp-client';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

/** Event params of a conversation, in arrival order. */
function eventsOf(client: McpTestClient, conversationId: string): JsonMessage[] {
  return client.messages.filter((m) => typeof m.method === 'string' && m.method.startsWith('codex/event/') && m.params?.conversationId === conversationId).map((m) => m.params);
}

function expectConsecutive(seqs: number[], first: number): void {
  expect(seqs[0], 'first number').to.equal(first);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i], `number after ${seqs[i - 1]}`).to.equal(seqs[i - 1] + 1);
}

async function ok(client: McpTestClient, method: string, params: unknown): Promise<any> {
  const reply = await client.request(method, params);
  if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

describe('event numbers and replay (addConversationListener sinceSeq)', () => {
  let f: EngineFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('a listener added with sinceSeq in the middle of a 5,000-delta stream misses nothing and repeats nothing', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    const text = Array.from({ length: 5000 }, (_, i) => `${i} `).join('');
    // The provider holds the stream after 2,000 deltas until the new listener is in place, then sends the other 3,000.
    let resume!: () => void;
    const until = new Promise<void>((r) => (resume = r));
    f.mock.enqueue({ kind: 'text', text, deltas: 5000, pauseAfter: { deltas: 2000, until } });
    const id = await f.newConversation();
    const { subscriptionId } = await ok(f.client, 'addConversationListener', { conversationId: id });
    await f.send(id, 'count');
    await f.event(id, 'agent_message_delta', 50);
    await ok(f.client, 'removeConversationListener', { subscriptionId });
    // Everything the first listener got arrived before the removal's reply.
    const seen = eventsOf(f.client, id);
    const last = seen[seen.length - 1]._meta.seq as number;
    expect(last, 'the first listener saw part of the stream').to.be.lessThan(2002);
    const listening = ok(f.client, 'addConversationListener', { conversationId: id, sinceSeq: last });
    // The replay (up to delta 2,000) arrives before the reply; the rest streams after it.
    await listening;
    resume();
    await f.event(id, 'task_complete');
    const all = eventsOf(f.client, id);
    expectConsecutive(
      all.map((e) => e._meta.seq),
      1,
    );
    const deltas = all.filter((e) => e.msg.type === 'agent_message_delta');
    expect(deltas).to.have.length(5000);
    expect(deltas.map((e) => e.msg.delta).join('')).to.equal(text);
    expect(all.find((e) => e.msg.type === 'agent_message')!.msg.message).to.equal(text);
  });

  it('replays from the ring after sinceSeq, then goes on live', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never' });
    f.mock.enqueue({ kind: 'text', text: 'one two three' }, { kind: 'text', text: 'four five' });
    const id = await f.listenedConversation();
    await f.send(id, 'first');
    await f.event(id, 'task_complete');
    const before = f.client.messages.length;
    await ok(f.client, 'addConversationListener', { conversationId: id, sinceSeq: 2 });
    const replayed = f.client.messages
      .slice(before)
      .filter((m) => m.method?.startsWith('codex/event/'))
      .map((m) => m.params._meta.seq);
    expect(replayed).to.deep.equal([3, 4, 5, 6]);
    await f.send(id, 'second');
    await f.event(id, 'task_complete', 2);
    const live = eventsOf(f.client, id)
      .slice(6 + 4)
      .map((e) => e._meta.seq);
    expectConsecutive(live, 7);
  });

  it('while the rollout is read for a replay, live events wait and follow it in order (small ring, streaming turn)', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', top: 'event_replay_buffer = 100' });
    const text = Array.from({ length: 5000 }, (_, i) => `${i} `).join('');
    let resume!: () => void;
    const until = new Promise<void>((r) => (resume = r));
    f.mock.enqueue({ kind: 'text', text, deltas: 5000, pauseAfter: { deltas: 1000, until } });
    const id = await f.newConversation();
    const { subscriptionId } = await ok(f.client, 'addConversationListener', { conversationId: id });
    await f.send(id, 'count');
    await f.event(id, 'agent_message_delta', 20);
    await ok(f.client, 'removeConversationListener', { subscriptionId });
    const seen = eventsOf(f.client, id).length;
    // From 0: task_started is older than the ring (100 events), so the replay reads the rollout,
    // and the stream goes on while it does.
    const listening = ok(f.client, 'addConversationListener', { conversationId: id, sinceSeq: 0 });
    resume();
    await listening;
    await f.event(id, 'task_complete');
    const replay = eventsOf(f.client, id).slice(seen);
    const seqs = replay.map((e) => e._meta.seq as number);
    expect(replay[0].msg.type).to.equal('task_started');
    expect(seqs[0]).to.equal(1);
    // After the recorded task_started, the ring's oldest on: strictly one more each, to the end.
    expectConsecutive(seqs.slice(1), seqs[1]);
    expect(seqs[seqs.length - 1]).to.equal(5003);
    expect(replay[replay.length - 1].msg.type).to.equal('task_complete');
    expect(replay.find((e) => e.msg.type === 'agent_message')!.msg.message).to.equal(text);
  });

  it('replays the recorded events from the rollout once the ring has dropped them', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', top: 'event_replay_buffer = 3' });
    f.mock.enqueue({ kind: 'text', text: 'alpha beta gamma delta epsilon' });
    const id = await f.listenedConversation();
    await f.send(id, 'go');
    await f.event(id, 'task_complete');
    const first = eventsOf(f.client, id);
    const types = first.map((e) => e.msg.type);
    expect(types).to.deep.equal(['task_started', ...Array(5).fill('agent_message_delta'), 'agent_message', 'task_complete']);
    const mark = f.client.messages.length;
    await ok(f.client, 'addConversationListener', { conversationId: id, sinceSeq: 0 });
    const replayed = f.client.messages
      .slice(mark)
      .filter((m) => m.method?.startsWith('codex/event/'))
      .map((m) => m.params);
    // task_started from the rollout (deltas are not recorded), then the ring's three: the last delta, agent_message, task_complete.
    expect(replayed.map((e) => [e._meta.seq, e.msg.type])).to.deep.equal([
      [1, 'task_started'],
      [6, 'agent_message_delta'],
      [7, 'agent_message'],
      [8, 'task_complete'],
    ]);
    expect(replayed[3]).to.deep.equal(first[7]);
  });

  it('refuses a negative or fractional sinceSeq with -32602', async () => {
    f = await EngineFixture.start();
    const id = await f.newConversation();
    for (const sinceSeq of [-1, 1.5, '3']) {
      const reply = await f.client.request('addConversationListener', { conversationId: id, sinceSeq });
      expect(reply.error?.code, JSON.stringify(sinceSeq)).to.equal(-32602);
    }
  });
});

describe('event numbers across kill -9 and resume', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  const clients: McpTestClient[] = [];

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'never' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  async function server(): Promise<McpTestClient> {
    const client = McpTestClient.spawn({ home: home.path });
    clients.push(client);
    await client.initialize();
    return client;
  }

  async function turn(client: McpTestClient, conversationId: string, text: string): Promise<void> {
    const done = client.waitFor(
      (m) => m.method === 'codex/event/task_complete' && m.params?.conversationId === conversationId && m.params.msg.last_agent_message === text,
      10_000,
      `task_complete "${text}"`,
    );
    mock.enqueue({ kind: 'text', text });
    await ok(client, 'sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'next' } }] });
    await done;
  }

  it('a conversation resumed after SIGKILL numbers on from its last recorded event, and replays the recorded ones', async () => {
    const a = await server();
    const { conversationId } = await ok(a, 'newConversation', { cwd: work });
    await ok(a, 'addConversationListener', { conversationId });
    await turn(a, conversationId, 'first answer');
    await turn(a, conversationId, 'second answer');
    const before = eventsOf(a, conversationId);
    const last = before[before.length - 1]._meta.seq as number;
    expectConsecutive(
      before.map((e) => e._meta.seq),
      1,
    );
    a.proc.kill('SIGKILL');
    await a.exited;

    const b = await server();
    await ok(b, 'resumeConversation', { conversationId });
    const mark = b.messages.length;
    await ok(b, 'addConversationListener', { conversationId, sinceSeq: 0 });
    // The recorded events come back with their numbers (deltas are not recorded).
    const replayed = b.messages
      .slice(mark)
      .filter((m) => m.method?.startsWith('codex/event/'))
      .map((m) => m.params);
    const recorded = before.filter((e) => !e.msg.type.endsWith('_delta'));
    expect(replayed).to.deep.equal(recorded);
    await turn(b, conversationId, 'third answer');
    const after = eventsOf(b, conversationId).slice(replayed.length);
    expectConsecutive(
      after.map((e) => e._meta.seq),
      last + 1,
    );
  });
});
