import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { AuthManager } from '../../src/auth/auth-manager';
import { LoginSessions } from '../../src/auth/login-sessions';
import { GitSandbox } from '../../src/git/git-sandbox';
import { CancelLoginChatGptHandler } from '../../src/handlers/cancel-login-chat-gpt.handler';
import { GetConfigTomlHandler } from '../../src/handlers/get-config-toml.handler';
import { GitDiffToRemoteHandler } from '../../src/handlers/git-diff-to-remote.handler';
import { InitializeHandler } from '../../src/handlers/initialize.handler';
import { LoggingSetLevelHandler } from '../../src/handlers/logging-set-level.handler';
import { LoginApiKeyHandler } from '../../src/handlers/login-api-key.handler';
import { LoginChatGptHandler } from '../../src/handlers/login-chat-gpt.handler';
import { LogoutChatGptHandler } from '../../src/handlers/logout-chat-gpt.handler';
import { NotificationsInitializedHandler } from '../../src/handlers/notifications-initialized.handler';
import { PingHandler } from '../../src/handlers/ping.handler';
import { ToolsCallHandler } from '../../src/handlers/tools-call.handler';
import { ToolsListHandler } from '../../src/handlers/tools-list.handler';
import { LOG_LEVEL_CONTROL } from '../../src/logging/log-level-control';
import { ClientSession } from '../../src/mcp/client-session';
import { ToolRegistry } from '../../src/mcp/tool-registry';
import { InternalError, InvalidParamsError, InvalidRequestError } from '../../src/router/errors';
import { RuntimeTuning } from '../../src/runtime/runtime-tuning';
import { SandboxProbe } from '../../src/exec/sandbox';
import { createTestContainer } from '../support/test-container';
import { requestContext } from './request-context';

describe('session, auth and MCP handlers (child container, stubbed services)', () => {
  const sandbox = sinon.createSandbox();
  let root: DependencyContainer;
  let auth: sinon.SinonStubbedInstance<AuthManager>;
  let logins: sinon.SinonStubbedInstance<LoginSessions>;
  let session: sinon.SinonStubbedInstance<ClientSession>;
  let tuning: sinon.SinonStubbedInstance<RuntimeTuning>;
  let tools: sinon.SinonStubbedInstance<ToolRegistry>;
  let levels: { setClientLevel: sinon.SinonStub };
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'agentwire-handlers-'));
    auth = sandbox.createStubInstance(AuthManager);
    logins = sandbox.createStubInstance(LoginSessions);
    session = sandbox.createStubInstance(ClientSession);
    tuning = sandbox.createStubInstance(RuntimeTuning);
    tools = sandbox.createStubInstance(ToolRegistry);
    levels = { setClientLevel: sandbox.stub() };
    root = createTestContainer({
      home,
      overrides: (c) => {
        c.registerInstance(AuthManager, auth);
        c.registerInstance(LoginSessions, logins);
        c.registerInstance(ClientSession, session);
        c.registerInstance(RuntimeTuning, tuning);
        c.registerInstance(ToolRegistry, tools);
        c.registerInstance(LOG_LEVEL_CONTROL, levels);
      },
    });
  });
  afterEach(() => {
    sandbox.restore();
    rmSync(home, { recursive: true, force: true });
  });

  const resolve = <T>(cls: new (...args: any[]) => T): T => root.createChildContainer().resolve(cls);

  it('initialize begins the session, tunes the runtime, and answers version, capabilities and serverInfo', () => {
    session.begin.returns('2025-03-26');
    const result = resolve(InitializeHandler).handle({ protocolVersion: '2025-03-26', capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' } });
    expect(result.protocolVersion).to.equal('2025-03-26');
    expect(result.serverInfo.name).to.equal('agentwire');
    expect(result.capabilities).to.have.property('tools');
    expect(session.begin.calledOnceWith('2025-03-26', { elicitation: {} })).to.equal(true);
    expect(tuning.afterHandshake.calledOnce).to.equal(true);
  });

  it('initialize passes a second-handshake refusal through and tunes nothing', () => {
    session.begin.throws(new InvalidRequestError('initialize called more than once'));
    expect(() => resolve(InitializeHandler).handle({ protocolVersion: 'x', clientInfo: { name: 'c', version: '1' } })).to.throw(InvalidRequestError);
    expect(tuning.afterHandshake.called).to.equal(false);
  });

  it('notifications/initialized is accepted and changes nothing (0.29 serves requests before it too)', () => {
    expect(resolve(NotificationsInitializedHandler).handle()).to.equal(undefined);
    expect(session.begin.called).to.equal(false);
  });

  it('ping answers {}', () => {
    expect(resolve(PingHandler).handle()).to.deep.equal({});
  });

  it('logging/setLevel sets the client level and answers {}', () => {
    expect(resolve(LoggingSetLevelHandler).handle({ level: 'warning' } as never)).to.deep.equal({});
    expect(levels.setClientLevel.calledOnceWithExactly('warning')).to.equal(true);
  });

  describe('tools', () => {
    it('tools/list answers the registry page for the cursor', () => {
      tools.list.returns({ tools: [{ name: 'codex', inputSchema: { type: 'object' } }], nextCursor: '50' });
      expect(resolve(ToolsListHandler).handle({ cursor: '0' })).to.deep.equal({ tools: [{ name: 'codex', inputSchema: { type: 'object' } }], nextCursor: '50' });
      expect(tools.list.calledOnce).to.equal(true);
      expect(tools.list.firstCall.args[0]).to.equal('0');
    });

    it('tools/call validates, then calls the tool with the progress token from _meta', async () => {
      const call = sandbox.stub().resolves({ content: [{ type: 'text', text: 'ok' }] });
      tools.get.returns({ name: 't', call } as never);
      const result = await resolve(ToolsCallHandler).handle({ name: 't', arguments: { a: 1 } }, requestContext({ meta: { progressToken: 7 } }));
      expect(result).to.deep.equal({ content: [{ type: 'text', text: 'ok' }] });
      expect(tools.validateArguments.calledOnceWithExactly('t', { a: 1 })).to.equal(true);
      expect(call.firstCall.args[1].progressToken).to.equal(7);
    });

    it('tools/call: bad arguments are the registry’s -32602; a tool failure is an isError result', async () => {
      tools.validateArguments.throws(new InvalidParamsError('Invalid params: a', ['a']));
      const bad = await resolve(ToolsCallHandler)
        .handle({ name: 't' }, requestContext())
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(bad).to.be.instanceOf(InvalidParamsError);

      tools.validateArguments.returns();
      tools.get.returns({ name: 't', call: sandbox.stub().rejects(new Error('boom')) } as never);
      const failed = await resolve(ToolsCallHandler).handle({ name: 't', arguments: {} }, requestContext({ meta: { progressToken: {} } }));
      expect(failed).to.deep.equal({ content: [{ type: 'text', text: 'boom' }], isError: true });
    });
  });

  describe('auth', () => {
    it('loginApiKey stores the trimmed key, announces the status, answers {}', async () => {
      auth.loginWithApiKey.resolves();
      expect(await resolve(LoginApiKeyHandler).handle({ apiKey: '  sk-test \n' })).to.deep.equal({});
      expect(auth.loginWithApiKey.calledOnceWithExactly('sk-test')).to.equal(true);
      expect(logins.announceStatus.calledOnce).to.equal(true);
    });

    it('loginApiKey: a failed save is -32603 and announces nothing', async () => {
      auth.loginWithApiKey.rejects(new Error('EACCES'));
      const err = await resolve(LoginApiKeyHandler)
        .handle({ apiKey: 'sk' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(InternalError).with.property('message', 'failed to save api key: EACCES');
      expect(logins.announceStatus.called).to.equal(false);
    });

    it('logoutChatGpt logs out and announces; a failure is -32603 "logout failed"', async () => {
      auth.logout.resolves();
      expect(await resolve(LogoutChatGptHandler).handle()).to.deep.equal({});
      expect(logins.announceStatus.calledOnce).to.equal(true);
      auth.logout.rejects(new Error('EBUSY'));
      const err = await resolve(LogoutChatGptHandler)
        .handle()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(InternalError).with.property('message', 'logout failed: EBUSY');
    });

    it('loginChatGpt answers what the login sessions start; cancelLoginChatGpt cancels by id', () => {
      logins.start.returns({ loginId: 'l1', authUrl: 'http://localhost/x' } as never);
      expect(resolve(LoginChatGptHandler).handle()).to.deep.equal({ loginId: 'l1', authUrl: 'http://localhost/x' });
      expect(resolve(CancelLoginChatGptHandler).handle({ loginId: 'l1' })).to.deep.equal({});
      expect(logins.cancel.calledOnceWithExactly('l1')).to.equal(true);
    });
  });

  describe('getConfigToml', () => {
    it('answers the camelCase view of config.toml as it is now', () => {
      writeFileSync(join(home, 'config.toml'), 'approval_policy = "never"\n[profiles.fast]\nmodel = "gpt-5"\n');
      const view = resolve(GetConfigTomlHandler).handle();
      expect(view).to.deep.equal({ approvalPolicy: 'never', profiles: { fast: { model: 'gpt-5' } } });
    });

    it('a config.toml that does not parse is -32603 "failed to parse config.toml"', () => {
      writeFileSync(join(home, 'config.toml'), 'model = \n');
      expect(() => resolve(GetConfigTomlHandler).handle()).to.throw(InternalError, /^failed to parse config.toml: /);
    });
  });

  it('gitDiffToRemote: a folder that is not a repository is -32600 naming the cwd as 0.29 quotes it', async () => {
    const git = sandbox.createStubInstance(GitSandbox);
    const probe = sandbox.createStubInstance(SandboxProbe);
    probe.probe.resolves({ available: false, reason: 'stubbed: no sandbox in this test' });
    git.get.returns(probe);
    const child = root.createChildContainer();
    child.registerInstance(GitSandbox, git);
    const err = await child
      .resolve(GitDiffToRemoteHandler)
      .handle({ cwd: home }, requestContext())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err)
      .to.be.instanceOf(InvalidRequestError)
      .with.property('message', `failed to compute git diff to remote for cwd: ${JSON.stringify(home)}`);
    expect(git.get.calledOnce).to.equal(true);
  });
});
