import { expect } from 'chai';
import sinon from 'sinon';
import { AuthManager } from '../../src/auth/auth-manager';
import { GetAuthStatusHandler } from '../../src/handlers/get-auth-status.handler';
import { createTestContainer } from '../support/test-container';

describe('GetAuthStatusHandler', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('asks the one AuthManager, passing the flags through', async () => {
    const auth = sandbox.createStubInstance(AuthManager);
    auth.status.resolves({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt', authToken: 'sk' });
    const root = createTestContainer({ overrides: (c) => c.registerInstance(AuthManager, auth) });
    const handler = root.createChildContainer().resolve(GetAuthStatusHandler);
    const result = await handler.handle({ includeToken: true, refreshToken: false });
    expect(result).to.deep.equal({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt', authToken: 'sk' });
    expect(auth.status.calledOnceWithExactly({ includeToken: true, refreshToken: false })).to.equal(true);
  });
});
