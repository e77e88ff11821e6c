import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { openFiles } from '../exec/helpers';
import { EngineFixture } from '../support/engine-home';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

for (const wireApi of ['chat', 'responses'] as const) {
  describe(`conversations over the ${wireApi} wire API`, () => {
    let f: EngineFixture;
    beforeEach(async () => (f = await EngineFixture.start({ wireApi })));
    afterEach(async () => f.close());

    it('runs a plain turn: task_started, deltas, agent_message, task_complete', async () => {
      f.mock.enqueue({ kind: 'text', text: 'Hello there friend' });
      const id = await f.listenedConversation();
      expect((await f.send(id, 'say hi')).result).to.deep.equal({});
      const done = await f.event(id, 'task_complete');
      expect(done.params).to.deep.equal({ _meta: { seq: 6 }, id: '0', msg: { type: 'task_complete', last_agent_message: 'Hello there friend' }, conversationId: id });
      // Numbered from 1, one more for each event (docs/PROTOCOL.md, "Event replay").
      expect(f.events(id).map((e) => e._meta.seq)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      const types = f.events(id).map((e) => e.msg.type);
      expect(types[0]).to.equal('task_started');
      expect(types.filter((t) => t === 'agent_message_delta')).to.have.length(3);
      expect(types.slice(-2)).to.deep.equal(['agent_message', 'task_complete']);
      const deltas = f
        .events(id)
        .filter((e) => e.msg.type === 'agent_message_delta')
        .map((e) => e.msg.delta)
        .join('');
      expect(deltas).to.equal('Hello there friend');
    });

    it('sends the whole history with the second message', async () => {
      f.mock.enqueue({ kind: 'text', text: 'first answer' }, { kind: 'text', text: 'second answer' });
      const id = await f.listenedConversation();
      await f.send(id, 'first question');
      await f.event(id, 'task_complete');
      await f.send(id, 'second question');
      const second = await f.event(id, 'task_complete', 2);
      expect(second.params.id).to.equal('1');
      const [, req] = await f.mock.waitForRequests(2);
      const text = JSON.stringify(req.body);
      expect(text).to.contain('first question').and.to.contain('first answer').and.to.contain('second question');
      expect(text).to.contain('<environment_context>');
    });

    it('retries after a 500 and reports stream_error', async () => {
      await f.close();
      f = await EngineFixture.start({ wireApi, requestMaxRetries: 0, streamMaxRetries: 1 });
      f.mock.enqueue({ kind: 'http_error', status: 500 }, { kind: 'text', text: 'recovered' });
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      const done = await f.event(id, 'task_complete');
      expect(done.params.msg.last_agent_message).to.equal('recovered');
      expect(f.events(id).some((e) => e.msg.type === 'stream_error')).to.equal(true);
      expect(f.mock.requests).to.have.length(2);
    });

    it('reports token_count when the provider sends usage', async () => {
      f.mock.enqueue({ kind: 'text', text: 'counted', usage: { input: 12, output: 5 } });
      const id = await f.listenedConversation();
      await f.send(id, 'count');
      const usage = await f.event(id, 'token_count');
      expect(usage.params.msg).to.include({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    });
  });
}

describe('conversations: methods and events (WIRE.md §5, §6)', () => {
  let f: EngineFixture;
  beforeEach(async () => (f = await EngineFixture.start()));
  afterEach(async () => f.close());

  it('answers newConversation with the id and effective model, and writes a rollout', async () => {
    const reply = await f.client.request('newConversation', { cwd: f.work, model: 'other-model' });
    expect(reply.result.model).to.equal('other-model');
    expect(reply.result.conversationId).to.match(/^[0-9a-f-]{36}$/);
    const files = f.rolloutFiles();
    expect(files).to.have.length(1);
    expect(files[0]).to.contain(reply.result.conversationId);
  });

  it('holds its rollout file open while a turn runs and not after', async () => {
    f.mock.enqueue({ kind: 'text', text: 'later', delayMs: 60_000 });
    const id = await f.listenedConversation();
    expect(f.rolloutFiles()).to.have.length(1);
    const [rollout] = f.rolloutFiles();
    /** How many of the server's file descriptors are open on the conversation's rollout. */
    const openOnRollout = (): number => openFiles(f.client.proc.pid!, (target) => target === rollout).length;
    expect(openOnRollout(), 'before any turn').to.equal(0);
    await f.send(id, 'go');
    await f.mock.waitForRequests(1);
    // The turn's first lines are appended one step after its model request goes out; a request
    // sent now is read after that step.
    await f.client.request('getAuthStatus', {});
    expect(openOnRollout(), 'while the model is asked').to.equal(1);
    f.mock.release();
    await f.event(id, 'task_complete');
    // The file is closed one step after the turn's end; a later request is read after that step.
    await f.client.request('getAuthStatus', {});
    expect(openOnRollout(), 'after the turn').to.equal(0);
  });

  it('rejects an unknown profile with -32600 and 0.29 text', async () => {
    const reply = await f.client.request('newConversation', { profile: 'nope' });
    expect(reply.error).to.deep.equal({ code: -32600, message: 'error deriving config: config profile `nope` not found' });
  });

  it('rejects bad newConversation params with -32602', async () => {
    const reply = await f.client.request('newConversation', { approvalPolicy: 'sometimes', cwd: 5 });
    expect(reply.error.code).to.equal(-32602);
    expect(reply.error.message).to.contain('approvalPolicy').and.to.contain('cwd');
  });

  it('buffers events until the first listener, then delivers them', async () => {
    f.mock.enqueue({ kind: 'text', text: 'buffered' });
    const id = await f.newConversation();
    await f.send(id, 'hello');
    await f.mock.waitForRequests(1);
    const sub = await f.client.request('addConversationListener', { conversationId: id });
    expect(sub.result.subscriptionId).to.match(/^[0-9a-f-]{36}$/);
    const done = await f.event(id, 'task_complete');
    expect(done.params.msg.last_agent_message).to.equal('buffered');
    expect(f.events(id)[0].msg.type).to.equal('task_started');
  });

  it('sends one notification per event with two listeners; removing one keeps the other', async () => {
    f.mock.enqueue({ kind: 'text', text: 'once' }, { kind: 'text', text: 'twice' });
    const id = await f.newConversation();
    const a = await f.client.request('addConversationListener', { conversationId: id });
    await f.client.request('addConversationListener', { conversationId: id });
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    expect(f.events(id).filter((e) => e.msg.type === 'task_complete')).to.have.length(1);
    expect((await f.client.request('removeConversationListener', { subscriptionId: a.result.subscriptionId })).result).to.deep.equal({});
    await f.send(id, 'y');
    await f.event(id, 'task_complete', 2);
  });

  it('answers the 0.29 error texts for unknown ids', async () => {
    for (const method of ['addConversationListener', 'sendUserMessage', 'interruptConversation']) {
      const reply = await f.client.request(method, { conversationId: ZERO_UUID, items: [] });
      expect(reply.error, method).to.deep.equal({ code: -32600, message: `conversation not found: ${ZERO_UUID}` });
    }
    const remove = await f.client.request('removeConversationListener', { subscriptionId: ZERO_UUID });
    expect(remove.error).to.deep.equal({ code: -32600, message: `subscription not found: ${ZERO_UUID}` });
  });

  it('answers -32602 for ids that are not UUIDs and for missing fields', async () => {
    expect((await f.client.request('addConversationListener', { conversationId: 'nope' })).error.code).to.equal(-32602);
    expect((await f.client.request('sendUserMessage', { conversationId: ZERO_UUID })).error.code).to.equal(-32602);
    const noEffort = await f.client.request('sendUserTurn', {
      conversationId: ZERO_UUID,
      items: [],
      cwd: '/',
      approvalPolicy: 'never',
      sandboxPolicy: { mode: 'read-only' },
      model: 'm',
      summary: 'auto',
    });
    expect(noEffort.error.code).to.equal(-32602);
    expect(noEffort.error.message).to.contain('effort');
    const badItem = await f.client.request('sendUserMessage', { conversationId: ZERO_UUID, items: [{ type: 'text', data: {} }] });
    expect(badItem.error.code).to.equal(-32602);
  });

  it('accepts an empty items list', async () => {
    const id = await f.listenedConversation();
    expect((await f.client.request('sendUserMessage', { conversationId: id, items: [] })).result).to.deep.equal({});
    await f.event(id, 'task_complete');
  });

  it('applies sendUserTurn settings to that turn only', async () => {
    f.mock.enqueue({ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' });
    const id = await f.listenedConversation();
    await f.client.request('sendUserTurn', {
      conversationId: id,
      items: [{ type: 'text', data: { text: 'turn one' } }],
      cwd: f.work,
      approvalPolicy: 'never',
      sandboxPolicy: { mode: 'workspace-write', network_access: true },
      model: 'turn-model',
      effort: 'low',
      summary: 'concise',
    });
    await f.event(id, 'task_complete');
    await f.send(id, 'turn two');
    await f.event(id, 'task_complete', 2);
    const [first, second] = await f.mock.waitForRequests(2);
    expect(first.body.model).to.equal('turn-model');
    expect(second.body.model).to.equal('mock-model');
  });

  it('injects a message sent during a turn into that turn', async () => {
    f.mock.enqueue({ kind: 'slow', text: 'a b c d e f g h i j k l m n o p q r s t u v w x y z', delayMs: 50 }, { kind: 'text', text: 'saw both' });
    const id = await f.listenedConversation();
    await f.send(id, 'first');
    await f.event(id, 'agent_message_delta');
    await f.send(id, 'injected');
    const done = await f.event(id, 'task_complete');
    expect(done.params.msg.last_agent_message).to.equal('saw both');
    expect(f.events(id).filter((e) => e.msg.type === 'task_started')).to.have.length(1);
    const [, second] = await f.mock.waitForRequests(2);
    expect(JSON.stringify(second.body)).to.contain('injected');
  });

  it('interrupts a slow stream: turn_aborted first, then the reply, no task_complete', async () => {
    f.mock.enqueue({ kind: 'slow', text: 'a b c d e f g h i j k l m n o p', delayMs: 200 });
    const id = await f.listenedConversation();
    await f.send(id, 'slow please');
    await f.event(id, 'agent_message_delta');
    const reply = await f.client.request('interruptConversation', { conversationId: id });
    expect(reply.result).to.deep.equal({ abortReason: 'interrupted' });
    const aborted = await f.event(id, 'turn_aborted');
    expect(aborted.params.msg).to.deep.equal({ type: 'turn_aborted', reason: 'interrupted' });
    expect(f.client.messages.indexOf(aborted)).to.be.lessThan(f.client.messages.indexOf(reply));
    expect(f.events(id).some((e) => e.msg.type === 'task_complete')).to.equal(false);
  });

  it('answers interruptConversation at once when no turn runs', async () => {
    const id = await f.listenedConversation();
    expect((await f.client.request('interruptConversation', { conversationId: id })).result).to.deep.equal({ abortReason: 'interrupted' });
  });

  it('runs ten conversations in parallel, each with its own events', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => f.listenedConversation()));
    await Promise.all(ids.map((id, i) => f.send(id, `question ${i}`)));
    const done = await Promise.all(ids.map((id) => f.event(id, 'task_complete')));
    for (const [i, d] of done.entries()) expect(d.params.conversationId).to.equal(ids[i]);
    for (const id of ids) expect(f.events(id).filter((e) => e.msg.type === 'task_started')).to.have.length(1);
  });

  it('records the conversation in its rollout file', async () => {
    f.mock.enqueue({ kind: 'text', text: 'recorded answer' });
    const id = await f.listenedConversation();
    await f.send(id, 'record me');
    await f.event(id, 'task_complete');
    await f.client.request('interruptConversation', { conversationId: id });
    const file = f.rolloutFiles().find((p) => p.includes(id))!;
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).to.include({ id });
    const text = JSON.stringify(lines);
    expect(text).to.contain('record me').and.to.contain('recorded answer').and.to.contain('<environment_context>');
  });

  it('exits when stdin closes during a turn', async () => {
    f.mock.enqueue({ kind: 'stall', after: 'waiting' });
    const id = await f.listenedConversation();
    await f.send(id, 'hang');
    await f.event(id, 'agent_message_delta');
    f.client.closeStdin();
    expect((await f.client.exited).code).to.equal(0);
  });

  it('serves getConfigToml', async () => {
    const reply = await f.client.request('getConfigToml', {});
    expect(reply.result).to.deep.equal({ approvalPolicy: 'untrusted', sandboxMode: 'danger-full-access', profiles: {} });
  });

  it('answers gitDiffToRemote outside a repository with the 0.29 error', async () => {
    const reply = await f.client.request('gitDiffToRemote', { cwd: 'relative/dir' });
    expect(reply.error).to.deep.equal({ code: -32600, message: 'failed to compute git diff to remote for cwd: "relative/dir"' });
    expect(existsSync(f.work)).to.equal(true);
  });
});

describe('conversations: provider failures', () => {
  let f: EngineFixture | undefined;
  afterEach(async () => f?.close());

  it('ends the turn with the retry-limit error and task_complete null', async () => {
    f = await EngineFixture.start({ requestMaxRetries: 1, streamMaxRetries: 0 });
    f.mock.enqueue({ kind: 'http_error', status: 500 }, { kind: 'http_error', status: 500 });
    const id = await f.listenedConversation();
    await f.send(id, 'fail please');
    const error = await f.event(id, 'error');
    expect(error.params.msg.message).to.equal('exceeded retry limit, last status: 500 Internal Server Error');
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal(null);
    expect(f.mock.requests).to.have.length(2);
  });

  it('honours Retry-After on a 429', async () => {
    f = await EngineFixture.start({ requestMaxRetries: 1 });
    f.mock.enqueue({ kind: 'http_error', status: 429, retryAfter: '0' }, { kind: 'text', text: 'after the wait' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('after the wait');
  });

  it('retries a stream cut in the middle', async () => {
    f = await EngineFixture.start({ streamMaxRetries: 1 });
    f.mock.enqueue({ kind: 'cut', after: 'partial' }, { kind: 'text', text: 'whole answer' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('whole answer');
    expect((await f.event(id, 'stream_error')).params.msg.message).to.match(/^stream error: .*retrying 1\/1/);
  });

  it('times out an idle stream', async () => {
    f = await EngineFixture.start({ idleTimeoutMs: 300 });
    f.mock.enqueue({ kind: 'stall', after: 'then nothing' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    const error = await f.event(id, 'error');
    expect(error.params.msg.message).to.contain('idle timeout');
    await f.event(id, 'task_complete');
  });

  it('reports a missing env_key variable without calling the provider', async () => {
    f = await EngineFixture.start({ extra: 'env_key = "AGENTWIRE_TEST_MISSING_KEY"\n', env: { AGENTWIRE_TEST_MISSING_KEY: undefined } });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    expect((await f.event(id, 'error')).params.msg.message).to.equal('Missing environment variable: `AGENTWIRE_TEST_MISSING_KEY`.');
    await f.event(id, 'task_complete');
    expect(f.mock.requests).to.have.length(0);
  });
});
