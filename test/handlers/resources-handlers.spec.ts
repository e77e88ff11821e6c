import { expect } from 'chai';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { ConversationResources, ResourceNotFoundError } from '../../src/conversations/conversation-resources';
import { ResourceSubscriptions } from '../../src/conversations/resource-subscriptions';
import { ResourcesListHandler } from '../../src/handlers/resources-list.handler';
import { ResourcesReadHandler } from '../../src/handlers/resources-read.handler';
import { ResourcesSubscribeHandler } from '../../src/handlers/resources-subscribe.handler';
import { ResourcesTemplatesListHandler } from '../../src/handlers/resources-templates-list.handler';
import { ResourcesUnsubscribeHandler } from '../../src/handlers/resources-unsubscribe.handler';
import { conversationUri, RESOURCE_NOT_FOUND } from '../../src/protocol/resources';
import { ErrorCode, InvalidParamsError } from '../../src/router/errors';
import type { RequestContext } from '../../src/router/handler';
import { createTestContainer } from '../support/test-container';
import { requestContext } from './request-context';

const ID = '6f1f4a4e-9a43-4d7b-8f57-0d8c2b7f3a10';
const URI = conversationUri(ID);
const PARSED = { conversationId: ID, view: 'summary' as const, since: 0 };

const modern = (): RequestContext => requestContext({ protocol: { era: 'modern', clientCapabilities: {} } });
const handshake = (): RequestContext => requestContext({ protocol: { era: 'handshake' } });

describe('resources/* handlers (child container, stubbed services)', () => {
  const sandbox = sinon.createSandbox();
  let resources: sinon.SinonStubbedInstance<ConversationResources>;
  let subscriptions: sinon.SinonStubbedInstance<ResourceSubscriptions>;
  let root: DependencyContainer;

  beforeEach(() => {
    resources = sandbox.createStubInstance(ConversationResources);
    subscriptions = sandbox.createStubInstance(ResourceSubscriptions);
    root = createTestContainer({
      overrides: (c) => {
        c.registerInstance(ConversationResources, resources);
        c.registerInstance(ResourceSubscriptions, subscriptions);
      },
    });
  });
  afterEach(() => sandbox.restore());

  const resolve = <T>(cls: new (...args: any[]) => T): T => root.createChildContainer().resolve(cls);

  describe('resources/list', () => {
    const page = { resources: [{ uri: URI, name: 'conversation', mimeType: 'application/json' }], nextCursor: 'c2' } as ReturnType<ConversationResources['list']>;

    it('handshake era: the page as the service gives it, for the cursor asked, and list changes heard from now on', () => {
      resources.list.returns(page);
      expect(resolve(ResourcesListHandler).handle({ cursor: 'c1' }, handshake())).to.deep.equal(page);
      expect(resources.list.calledOnceWithExactly('c1')).to.equal(true);
      expect(subscriptions.listedDirect.calledOnce).to.equal(true);
    });

    it('modern era: the page marked not to be cached, and no list-changed subscription', () => {
      resources.list.returns(page);
      expect(resolve(ResourcesListHandler).handle({}, modern())).to.deep.equal({ ...page, ttlMs: 0, cacheScope: 'private' });
      expect(resources.list.calledOnceWithExactly(undefined)).to.equal(true);
      expect(subscriptions.listedDirect.called).to.equal(false);
    });

    it('a cursor the service rejects is passed on as its error, with no subscription', () => {
      resources.list.throws(new InvalidParamsError('Invalid params: unknown cursor'));
      expect(() => resolve(ResourcesListHandler).handle({ cursor: 'forged' }, handshake()))
        .to.throw(InvalidParamsError)
        .with.property('code', ErrorCode.InvalidParams);
      expect(subscriptions.listedDirect.called).to.equal(false);
    });
  });

  describe('resources/read', () => {
    const contents = [{ uri: URI, mimeType: 'application/json', text: '{"conversationId":"x"}' }];

    it('handshake era: { contents }, an unknown conversation being -32002', async () => {
      resources.read.resolves(contents);
      expect(await resolve(ResourcesReadHandler).handle({ uri: URI }, handshake())).to.deep.equal({ contents });
      expect(resources.read.calledOnceWithExactly(URI, RESOURCE_NOT_FOUND)).to.equal(true);
    });

    it('modern era: contents marked not to be cached, an unknown conversation being -32602', async () => {
      resources.read.resolves(contents);
      expect(await resolve(ResourcesReadHandler).handle({ uri: URI }, modern())).to.deep.equal({ contents, ttlMs: 0, cacheScope: 'private' });
      expect(resources.read.calledOnceWithExactly(URI, ErrorCode.InvalidParams)).to.equal(true);
    });

    it('passes on the not-found error the service throws', async () => {
      resources.read.rejects(new ResourceNotFoundError(URI, ErrorCode.InvalidParams));
      try {
        await resolve(ResourcesReadHandler).handle({ uri: URI }, modern());
        expect.fail('should have thrown');
      } catch (err) {
        expect(err).to.be.instanceOf(ResourceNotFoundError);
        expect((err as { code: number }).code).to.equal(-32602);
        expect((err as { data: unknown }).data).to.deep.equal({ uri: URI });
      }
    });
  });

  it('resources/templates/list answers the service templates as one page', () => {
    const templates = [{ uriTemplate: 'agentwire://conversations/{id}', name: 'summary' }] as ReturnType<ConversationResources['templates']>;
    resources.templates.returns(templates);
    expect(resolve(ResourcesTemplatesListHandler).handle()).to.deep.equal({ resourceTemplates: templates });
    expect(resources.templates.calledOnce).to.equal(true);
  });

  describe('resources/subscribe', () => {
    it('subscribes an existing conversation URI and answers {}', () => {
      resources.parse.returns(PARSED);
      resources.exists.returns(true);
      expect(resolve(ResourcesSubscribeHandler).handle({ uri: URI })).to.deep.equal({});
      expect(resources.parse.calledOnceWithExactly(URI)).to.equal(true);
      expect(resources.exists.calledOnceWithExactly(ID)).to.equal(true);
      expect(subscriptions.subscribe.calledOnceWithExactly(URI)).to.equal(true);
    });

    it('an unknown conversation is -32002 Resource not found, and nothing is subscribed', () => {
      resources.parse.returns(PARSED);
      resources.exists.returns(false);
      expect(() => resolve(ResourcesSubscribeHandler).handle({ uri: URI }))
        .to.throw(ResourceNotFoundError, `Resource not found: ${URI}`)
        .with.property('code', RESOURCE_NOT_FOUND);
      expect(subscriptions.subscribe.called).to.equal(false);
    });

    it('a URI the service cannot parse is its error, before any existence check', () => {
      resources.parse.throws(new InvalidParamsError('Invalid resource URI'));
      expect(() => resolve(ResourcesSubscribeHandler).handle({ uri: 'file:///etc/passwd' }))
        .to.throw(InvalidParamsError)
        .with.property('code', -32602);
      expect(resources.exists.called).to.equal(false);
      expect(subscriptions.subscribe.called).to.equal(false);
    });
  });

  it('resources/unsubscribe drops the URI and answers {}', () => {
    expect(resolve(ResourcesUnsubscribeHandler).handle({ uri: URI })).to.deep.equal({});
    expect(subscriptions.unsubscribe.calledOnceWithExactly(URI)).to.equal(true);
    expect(resources.parse.called).to.equal(false);
  });
});
