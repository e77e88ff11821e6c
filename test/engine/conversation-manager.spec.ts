import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { ConversationManager, REPLAY_OUTPUT_BYTES } from '../../src/conversations/conversation-manager';
import { ModelGateway } from '../../src/conversations/model-gateway';
import type { ModelEvent } from '../../src/model/model-events';
import { untilAborted } from '../../src/model/sse';
import { InvalidRequestError } from '../../src/router/errors';
import { JsonRpcRouter } from '../../src/router/json-rpc-router';
import { OutgoingRequests } from '../../src/router/outgoing-requests';
import { createTestContainer } from '../support/test-container';

async function* answer(text: string): AsyncGenerator<ModelEvent[]> {
  yield [{ type: 'item', item: { type: 'message', id: null, role: 'assistant', content: [{ type: 'output_text', text }] } as never }, { type: 'completed' }];
}

/** The ConversationManager from a test container: stubbed model and outgoing notifications, real rollouts in a temp home. */
describe('engine: ConversationManager (stubbed model and client)', () => {
  let home: string;
  let root: DependencyContainer;
  let outgoing: sinon.SinonStubbedInstance<OutgoingRequests>;
  let router: sinon.SinonStubbedInstance<JsonRpcRouter>;
  let manager: ConversationManager;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'agentwire-manager-'));
    outgoing = sinon.createStubInstance(OutgoingRequests);
    // No client behind: output never waits (whenOutputBelow answers undefined), unless a test says so.
    router = sinon.createStubInstance(JsonRpcRouter);
    const gateway = sinon.createStubInstance(ModelGateway);
    gateway.stream.callsFake(() => answer('hello'));
    root = createTestContainer({
      home,
      overrides: (c) => {
        c.registerInstance(ModelGateway, gateway);
        c.registerInstance(OutgoingRequests, outgoing);
        c.registerInstance(JsonRpcRouter, router);
      },
    });
    manager = root.resolve(ConversationManager);
  });
  afterEach(async () => {
    await manager.shutdown();
    rmSync(home, { recursive: true, force: true });
  });

  // Events go out as the CodexEvent declaration of their type (its `name` is `codex/event/<type>`).
  const notified = (type: string) => outgoing.notify.getCalls().filter((c) => (c.args[0] as unknown as { name: string }).name === `codex/event/${type}`);
  const until = async (type: string): Promise<void> => {
    while (notified(type).length === 0) await new Promise((r) => setImmediate(r));
  };

  it('create starts a conversation with a rollout on disk and a fresh id; get and require find it', () => {
    const conversation = manager.create({ cwd: home });
    conversation.rollout.flush();
    expect(existsSync(conversation.rollout.path)).to.equal(true);
    expect(manager.get(conversation.id)).to.equal(conversation);
    expect(manager.require(conversation.id)).to.equal(conversation);
    expect(manager.size).to.equal(1);
    expect(manager.create({ cwd: home }).id).to.not.equal(conversation.id);
  });

  it('require and addListener refuse an unknown id with -32600 "conversation not found"', () => {
    expect(() => manager.require('nope')).to.throw(InvalidRequestError, 'conversation not found: nope');
    expect(() => manager.addListener('nope')).to.throw(InvalidRequestError, 'conversation not found: nope');
    expect(() => manager.removeListener('nope')).to.throw(InvalidRequestError, 'subscription not found: nope');
  });

  it('buffers events until the first listener, then sends each once however many listeners there are', async () => {
    const conversation = manager.create({ cwd: home, approvalPolicy: 'never' });
    const { turn } = conversation.submit([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
    // The whole turn runs while nobody listens: nothing is sent.
    expect((await turn.done).kind).to.equal('completed');
    expect(outgoing.notify.called).to.equal(false);

    manager.addListener(conversation.id);
    await until('task_complete');
    manager.addListener(conversation.id);
    const messages = notified('agent_message');
    expect(messages).to.have.length(1);
    expect(messages[0].args[1]).to.deep.include({ conversationId: conversation.id });
    expect((messages[0].args[1] as { msg: { message: string } }).msg.message).to.equal('hello');
  });

  it('end forgets a live conversation and its subscriptions; false for one that is not live', async () => {
    const conversation = manager.create({ cwd: home });
    const subscription = manager.addListener(conversation.id);
    expect(await manager.end(conversation.id)).to.equal(true);
    expect(manager.get(conversation.id)).to.equal(undefined);
    expect(() => manager.removeListener(subscription)).to.throw(InvalidRequestError);
    expect(await manager.end(conversation.id)).to.equal(false);
  });

  it('paces a replay by the output the client has not read, keeping live events after the replayed ones, none lost or repeated', async () => {
    const conversation = manager.create({ cwd: home, approvalPolicy: 'never' });
    const say = (text: string) => conversation.submit([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text }] }]).turn.done;
    await say('one');
    const recorded = conversation.events.lastSeq;
    expect(recorded).to.be.greaterThan(2);

    let open!: () => void;
    let reached!: () => void;
    const waiting = new Promise<void>((resolve) => (reached = resolve));
    router.whenOutputBelow.onFirstCall().callsFake(() => {
      reached();
      return new Promise<void>((resolve) => (open = resolve));
    });
    router.whenOutputBelow.returns(undefined);
    const listening = manager.addListenerSince(conversation.id, 0);
    await waiting;
    expect(router.whenOutputBelow.firstCall.args[0]).to.equal(REPLAY_OUTPUT_BYTES);
    expect(outgoing.notify.called, 'nothing sent while the client has not read').to.equal(false);

    // A turn runs while the replay waits: its events wait behind the replayed ones.
    await say('two');
    expect(outgoing.notify.called).to.equal(false);
    open();
    await listening;
    const seqs = outgoing.notify.getCalls().map((c) => (c.args[1] as { _meta: { seq: number } })._meta.seq);
    expect(seqs).to.deep.equal(Array.from({ length: conversation.events.lastSeq }, (_, i) => i + 1));
    expect(seqs.length).to.be.greaterThan(recorded);
  });

  it('a replay waiting for the client to read stops when the request is cancelled (its listener goes) or the conversation ends (-32600)', async () => {
    const conversation = manager.create({ cwd: home, approvalPolicy: 'never' });
    await conversation.submit([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'one' }] }]).turn.done;
    // The client never reads: room in the output never comes; the wait ends only by its signal (as StdioTransport's).
    let reached!: () => void;
    let waiting = new Promise<void>((resolve) => (reached = resolve));
    router.whenOutputBelow.callsFake((_bytes: number, signal?: AbortSignal) => {
      reached();
      return untilAborted(new Promise<void>(() => undefined), signal!);
    });

    const cancel = new AbortController();
    const cancelled = manager.addListenerSince(conversation.id, 0, cancel.signal).then(
      () => 'answered',
      (err: unknown) => err,
    );
    await waiting;
    cancel.abort(new Error('cancelled by the client'));
    expect(((await cancelled) as Error).message).to.equal('cancelled by the client');
    expect(outgoing.notify.called, 'nothing of the replay sent').to.equal(false);
    // No listener is left behind: a live event with no listener is buffered, not sent.
    await conversation.submit([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'two' }] }]).turn.done;
    expect(outgoing.notify.called).to.equal(false);

    waiting = new Promise<void>((resolve) => (reached = resolve));
    const ending = manager.addListenerSince(conversation.id, 0).then(
      () => 'answered',
      (err: unknown) => err,
    );
    // The replay waits for the client when the conversation ends (not before it starts).
    await waiting;
    await manager.end(conversation.id);
    const err = await ending;
    expect(err).to.be.instanceOf(InvalidRequestError);
    expect((err as Error).message).to.equal(`conversation not found: ${conversation.id}`);
  });
});
