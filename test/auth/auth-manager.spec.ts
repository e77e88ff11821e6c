import { expect } from 'chai';
import { AuthManager } from '../../src/auth/auth-manager';
import { parseAuthFile } from '../../src/auth/auth-file';
import { chatGptAuthJson } from '../support/fake-auth';
import { createTestContainer } from '../support/test-container';
import { TempHome } from '../support/temp-home';

describe('AuthManager', () => {
  let home: TempHome;
  let savedKey: string | undefined;

  beforeEach(() => {
    savedKey = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
  });
  afterEach(() => {
    if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = savedKey;
    home?.remove();
  });

  async function manager(files: { auth?: unknown; authText?: string; tree?: Record<string, unknown> }): Promise<AuthManager> {
    home = new TempHome({ auth: files.auth });
    if (files.authText !== undefined) home.write('auth.json', files.authText);
    const container = createTestContainer({ home: home.path, tree: files.tree });
    const auth = container.resolve(AuthManager);
    await auth.load();
    return auth;
  }

  it('is one instance per container (a singleton)', () => {
    home = new TempHome();
    const container = createTestContainer({ home: home.path });
    expect(container.resolve(AuthManager)).to.equal(container.resolve(AuthManager));
    expect(container.createChildContainer().resolve(AuthManager)).to.equal(container.resolve(AuthManager));
  });

  it('reads the API key and keeps it after the file changes', async () => {
    const auth = await manager({ auth: { OPENAI_API_KEY: 'sk-1' } });
    home.write('auth.json', '{"OPENAI_API_KEY":"sk-2"}');
    expect(await auth.status({ includeToken: true })).to.deep.equal({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt', authToken: 'sk-1' });
  });

  it('reads ChatGPT tokens with the account id', async () => {
    const auth = await manager({ auth: chatGptAuthJson({ plan: 'plus', accountId: 'acc-9', accessToken: 'at-9' }) });
    expect(auth.current()).to.deep.include({ method: 'chatgpt', accessToken: 'at-9', accountId: 'acc-9' });
  });

  it('uses the env key only when there is no file', async () => {
    process.env.OPENAI_API_KEY = 'sk-env';
    expect((await manager({})).current()).to.deep.include({ method: 'apikey', apiKey: 'sk-env' });
  });

  it('reads a file that did not parse a second time before giving up', async () => {
    home = new TempHome();
    home.write('auth.json', '{"OPENAI_API_KEY":');
    const container = createTestContainer({ home: home.path });
    const auth = container.resolve(AuthManager);
    const loading = auth.load();
    home.write('auth.json', '{"OPENAI_API_KEY":"sk-late"}');
    await loading;
    expect(auth.current()).to.deep.include({ apiKey: 'sk-late' });
  });

  it('treats a broken id_token as not logged in', async () => {
    const broken = chatGptAuthJson({ plan: 'pro' });
    (broken.tokens as Record<string, unknown>).id_token = 'not-a-jwt';
    expect((await manager({ auth: broken })).current()).to.equal(undefined);
  });

  it('reports the configured preference', async () => {
    const auth = await manager({ tree: { preferred_auth_method: 'apikey' } });
    expect(await auth.status()).to.deep.equal({ preferredAuthMethod: 'apikey' });
  });
});

describe('parseAuthFile', () => {
  it('takes last_refresh and ignores an empty key', () => {
    const file = parseAuthFile(JSON.stringify({ ...chatGptAuthJson({ plan: 'pro' }), OPENAI_API_KEY: '', last_refresh: '2025-01-02T03:04:05Z' }));
    expect(file.apiKey).to.equal(null);
    expect(file.lastRefresh?.toISOString()).to.equal('2025-01-02T03:04:05.000Z');
    expect(file.tokens?.claims.planType).to.equal('pro');
  });

  it('refuses incomplete tokens', () => {
    expect(() => parseAuthFile('{"tokens":{"id_token":"a.b.c"}}')).to.throw(/incomplete/);
  });
});
