import { expect } from 'chai';
import { resolve as resolvePath } from 'node:path';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { ConfigError } from '../../src/config/config-file';
import type { Conversation } from '../../src/conversations/conversation';
import { ConversationManager } from '../../src/conversations/conversation-manager';
import { ConversationStore } from '../../src/conversations/conversation-store';
import { AddConversationListenerHandler } from '../../src/handlers/add-conversation-listener.handler';
import { ArchiveConversationHandler } from '../../src/handlers/archive-conversation.handler';
import { ForkConversationHandler } from '../../src/handlers/fork-conversation.handler';
import { InterruptConversationHandler } from '../../src/handlers/interrupt-conversation.handler';
import { ListConversationsHandler } from '../../src/handlers/list-conversations.handler';
import { NewConversationHandler } from '../../src/handlers/new-conversation.handler';
import { RemoveConversationListenerHandler } from '../../src/handlers/remove-conversation-listener.handler';
import { ResumeConversationHandler } from '../../src/handlers/resume-conversation.handler';
import { SendUserMessageHandler } from '../../src/handlers/send-user-message.handler';
import { SendUserTurnHandler } from '../../src/handlers/send-user-turn.handler';
import { InternalError, InvalidParamsError, InvalidRequestError } from '../../src/router/errors';
import { createTestContainer } from '../support/test-container';
import { requestContext } from './request-context';

const ID = '6f1f4a4e-9a43-4d7b-8f57-0d8c2b7f3a10';

/** A conversation double: only what the handlers touch. */
function fakeConversation(): Conversation & { submit: sinon.SinonStub; interrupt: sinon.SinonStub; flush: sinon.SinonStub } {
  const flush = sinon.stub();
  return {
    id: ID,
    settings: { model: 'gpt-test', maxImageBytes: undefined },
    rollout: { flush },
    flush,
    submit: sinon.stub().returns({ submissionId: '1' }),
    interrupt: sinon.stub().resolves(),
  } as unknown as Conversation & { submit: sinon.SinonStub; interrupt: sinon.SinonStub; flush: sinon.SinonStub };
}

describe('conversation handlers (child container, stubbed services)', () => {
  const sandbox = sinon.createSandbox();
  let manager: sinon.SinonStubbedInstance<ConversationManager>;
  let store: sinon.SinonStubbedInstance<ConversationStore>;
  let root: DependencyContainer;

  beforeEach(() => {
    manager = sandbox.createStubInstance(ConversationManager);
    store = sandbox.createStubInstance(ConversationStore);
    root = createTestContainer({
      overrides: (c) => {
        c.registerInstance(ConversationManager, manager);
        c.registerInstance(ConversationStore, store);
      },
    });
  });
  afterEach(() => sandbox.restore());

  const resolve = <T>(cls: new (...args: any[]) => T): T => root.createChildContainer().resolve(cls);

  describe('newConversation', () => {
    it('creates the conversation, flushes its rollout, and answers its id and model', () => {
      const conversation = fakeConversation();
      manager.create.returns(conversation);
      const result = resolve(NewConversationHandler).handle({ model: 'gpt-test' });
      expect(result).to.deep.equal({ conversationId: ID, model: 'gpt-test' });
      expect(manager.create.calledOnceWithExactly({ model: 'gpt-test' })).to.equal(true);
      expect(conversation.flush.calledOnce).to.equal(true);
    });

    it('turns a config problem into -32600 "error deriving config"', () => {
      manager.create.throws(new ConfigError('unknown profile: nope'));
      expect(() => resolve(NewConversationHandler).handle({ profile: 'nope' })).to.throw(InvalidRequestError, /error deriving config: unknown profile: nope/);
    });

    it('turns any other failure into -32603 "error creating conversation"', () => {
      manager.create.throws(new Error('disk full'));
      expect(() => resolve(NewConversationHandler).handle({})).to.throw(InternalError, /error creating conversation: disk full/);
    });
  });

  it('addConversationListener answers the subscription id the manager gives', async () => {
    manager.addListener.returns('sub-1');
    expect(await resolve(AddConversationListenerHandler).handle({ conversationId: ID }, requestContext())).to.deep.equal({ subscriptionId: 'sub-1' });
    expect(manager.addListener.calledOnceWithExactly(ID)).to.equal(true);
  });

  it('addConversationListener with sinceSeq subscribes through the replaying path', async () => {
    manager.addListenerSince.resolves('sub-2');
    const ctx = requestContext();
    expect(await resolve(AddConversationListenerHandler).handle({ conversationId: ID, sinceSeq: 7 }, ctx)).to.deep.equal({ subscriptionId: 'sub-2' });
    // With the request's signal: a cancelled request stops its replay.
    expect(manager.addListenerSince.calledOnceWithExactly(ID, 7, ctx.signal)).to.equal(true);
    expect(manager.addListener.called).to.equal(false);
  });

  it('removeConversationListener removes it and answers {}; a manager refusal goes through', () => {
    expect(resolve(RemoveConversationListenerHandler).handle({ subscriptionId: ID })).to.deep.equal({});
    expect(manager.removeListener.calledOnceWithExactly(ID)).to.equal(true);
    manager.removeListener.throws(new InvalidRequestError(`subscription not found: ${ID}`));
    expect(() => resolve(RemoveConversationListenerHandler).handle({ subscriptionId: ID })).to.throw(InvalidRequestError);
  });

  it('interruptConversation waits for the interrupt and answers abortReason interrupted', async () => {
    const conversation = fakeConversation();
    manager.require.returns(conversation);
    expect(await resolve(InterruptConversationHandler).handle({ conversationId: ID })).to.deep.equal({ abortReason: 'interrupted' });
    expect(conversation.interrupt.calledOnce).to.equal(true);
  });

  describe('sendUserMessage and sendUserTurn', () => {
    it('sendUserMessage submits the text as one user message and answers {}', async () => {
      const conversation = fakeConversation();
      manager.require.returns(conversation);
      const result = await resolve(SendUserMessageHandler).handle({ conversationId: ID, items: [{ type: 'text', data: { text: 'hi' } }] } as never, requestContext());
      expect(result).to.deep.equal({});
      expect(conversation.submit.calledOnce).to.equal(true);
      expect(conversation.submit.firstCall.args[0]).to.deep.equal([{ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
    });

    it("reads the request's signal only for a local image (asking for it makes the router an AbortController)", async () => {
      const conversation = fakeConversation();
      manager.require.returns(conversation);
      const signal = sinon.spy(() => new AbortController().signal);
      const ctx = () => Object.defineProperty(requestContext(), 'signal', { get: signal });
      await resolve(SendUserMessageHandler).handle({ conversationId: ID, items: [{ type: 'text', data: { text: 'hi' } }] } as never, ctx());
      expect(signal.called, 'text only').to.equal(false);
      const items = [{ type: 'localImage', data: { path: '/nonexistent/agentwire/image.png' } }];
      await Promise.resolve(resolve(SendUserMessageHandler).handle({ conversationId: ID, items } as never, ctx())).catch(() => undefined);
      expect(signal.called, 'a local image').to.equal(true);
    });

    it('an item without the member its tag needs is -32602 before the conversation is looked up', () => {
      expect(() => resolve(SendUserMessageHandler).handle({ conversationId: ID, items: [{ type: 'text', data: {} }] } as never, requestContext())).to.throw(InvalidParamsError);
      expect(manager.require.called).to.equal(false);
    });

    it('an unreadable local image fails the request with -32602 and nothing is submitted', async () => {
      const conversation = fakeConversation();
      manager.require.returns(conversation);
      const handler = resolve(SendUserMessageHandler);
      const items = [{ type: 'localImage', data: { path: '/nonexistent/agentwire/image.png' } }];
      const err = await Promise.resolve(handler.handle({ conversationId: ID, items } as never, requestContext())).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(InvalidParamsError);
      expect(conversation.submit.called).to.equal(false);
    });

    it('sendUserTurn submits with the turn overrides, the cwd made absolute', async () => {
      const conversation = fakeConversation();
      manager.require.returns(conversation);
      await resolve(SendUserTurnHandler).handle(
        {
          conversationId: ID,
          items: [{ type: 'text', data: { text: 'go' } }],
          cwd: 'relative/dir',
          approvalPolicy: 'never',
          sandboxPolicy: { mode: 'read-only' },
          model: 'm2',
          effort: 'low',
          summary: 'auto',
        } as never,
        requestContext(),
      );
      const options = conversation.submit.firstCall.args[1];
      expect(options.overrides.cwd).to.equal(resolvePath('relative/dir'));
      expect(options.overrides).to.include({ approvalPolicy: 'never', model: 'm2', reasoningEffort: 'low', reasoningSummary: 'auto' });
      expect(options.overrides.sandboxPolicy.mode).to.equal('read-only');
    });
  });

  describe('store-backed methods', () => {
    it('listConversations caps the page size at 100 and defaults it to 20', () => {
      store.list.returns({ items: [] });
      resolve(ListConversationsHandler).handle({ pageSize: 1000, cursor: 'c' });
      resolve(ListConversationsHandler).handle({});
      expect(store.list.firstCall.args).to.deep.equal([100, 'c']);
      expect(store.list.secondCall.args).to.deep.equal([20, undefined]);
    });

    it('resumeConversation needs a path or an id (-32602), then answers id, model and initialMessages', async () => {
      const handler = resolve(ResumeConversationHandler);
      const err = await handler.handle({}).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(InvalidParamsError);
      store.resume.resolves({ conversation: fakeConversation(), initialMessages: [{ type: 'agent_message' }] } as never);
      const result = await handler.handle({ conversationId: ID, overrides: { model: 'x' } });
      expect(result).to.deep.equal({ conversationId: ID, model: 'gpt-test', initialMessages: [{ type: 'agent_message' }] });
      expect(store.resume.firstCall.args).to.deep.equal([{ conversationId: ID, path: undefined }, { model: 'x' }]);
    });

    it('forkConversation forks with dropLastTurns (0 by default)', async () => {
      store.fork.resolves(fakeConversation());
      const result = await resolve(ForkConversationHandler).handle({ conversationId: ID });
      expect(result).to.deep.equal({ conversationId: ID, model: 'gpt-test' });
      expect(store.fork.firstCall.args).to.deep.equal([{ conversationId: ID, path: undefined }, 0]);
    });

    it('archiveConversation archives through the store and answers {}', async () => {
      store.archive.resolves();
      expect(await resolve(ArchiveConversationHandler).handle({ conversationId: ID, rolloutPath: '/r.jsonl' })).to.deep.equal({});
      expect(store.archive.calledOnceWithExactly(ID, '/r.jsonl')).to.equal(true);
    });
  });
});
