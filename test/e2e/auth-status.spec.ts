import { expect } from 'chai';
import { chatGptAuthJson } from '../support/fake-auth';
import { McpTestClient } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

/** getAuthStatus against the credential table of AUTH.md §2, measured on codex 0.29. */
describe('agentwire mcp: getAuthStatus (WIRE.md §5.7, AUTH.md §2)', () => {
  let home: TempHome;
  let client: McpTestClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    home.remove();
  });

  async function status(
    files: { auth?: unknown; authText?: string; config?: string },
    params: Record<string, unknown> = { includeToken: true },
    env: Record<string, string | undefined> = { OPENAI_API_KEY: undefined },
  ) {
    home = new TempHome({ config: files.config, auth: files.auth });
    if (files.authText !== undefined) home.write('auth.json', files.authText);
    client = McpTestClient.spawn({ home: home.path, env });
    return (await client.request('getAuthStatus', params)).result;
  }

  const pro = chatGptAuthJson({ plan: 'pro', accessToken: 'access-pro' });

  it('reports nothing but the preference with no auth.json and no env key', async () => {
    expect(await status({})).to.deep.equal({ preferredAuthMethod: 'chatgpt' });
  });

  it('uses OPENAI_API_KEY from the environment when there is no auth.json', async () => {
    expect(await status({}, { includeToken: true }, { OPENAI_API_KEY: 'sk-env' })).to.deep.equal({
      authMethod: 'apikey',
      preferredAuthMethod: 'chatgpt',
      authToken: 'sk-env',
    });
  });

  it('prefers the file key over the environment key', async () => {
    const result = await status({ auth: { OPENAI_API_KEY: 'sk-file' } }, { includeToken: true }, { OPENAI_API_KEY: 'sk-env' });
    expect(result).to.deep.equal({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt', authToken: 'sk-file' });
  });

  it('gives the token only when asked for', async () => {
    expect(await status({ auth: { OPENAI_API_KEY: 'sk-test-123' } }, {})).to.deep.equal({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt' });
    await client!.close();
    home.remove();
    expect(await status({ auth: { OPENAI_API_KEY: 'sk-test-123' } }, { includeToken: false })).to.deep.equal({
      authMethod: 'apikey',
      preferredAuthMethod: 'chatgpt',
    });
  });

  it('uses ChatGPT tokens alone, with the access token as the token', async () => {
    expect(await status({ auth: pro })).to.deep.equal({ authMethod: 'chatgpt', preferredAuthMethod: 'chatgpt', authToken: 'access-pro' });
  });

  const both: Array<[string, Record<string, unknown>, string | undefined, 'apikey' | 'chatgpt']> = [
    ['pro plan + key, default preference', chatGptAuthJson({ plan: 'pro', apiKey: 'sk-k', accessToken: 'at' }), undefined, 'chatgpt'],
    ['enterprise plan + key', chatGptAuthJson({ plan: 'enterprise', apiKey: 'sk-k', accessToken: 'at' }), undefined, 'apikey'],
    [
      'enterprise plan with an @openai.com email + key',
      chatGptAuthJson({ plan: 'enterprise', email: ' Someone@OpenAI.com ', apiKey: 'sk-k', accessToken: 'at' }),
      undefined,
      'chatgpt',
    ],
    ['no plan claim + key', chatGptAuthJson({ apiKey: 'sk-k', accessToken: 'at' }), undefined, 'apikey'],
    ['pro plan + key, preference apikey', chatGptAuthJson({ plan: 'pro', apiKey: 'sk-k', accessToken: 'at' }), 'apikey', 'apikey'],
    ['pro plan, no key, preference apikey', chatGptAuthJson({ plan: 'pro', accessToken: 'at' }), 'apikey', 'chatgpt'],
  ];
  for (const [name, auth, preference, expected] of both) {
    it(`chooses ${expected} for ${name}`, async () => {
      const config = preference ? `preferred_auth_method = "${preference}"\n` : undefined;
      const result = await status({ auth, config });
      expect(result.authMethod).to.equal(expected);
      expect(result.preferredAuthMethod).to.equal(preference ?? 'chatgpt');
      expect(result.authToken).to.equal(expected === 'apikey' ? 'sk-k' : 'at');
    });
  }

  it('treats an unreadable auth.json as logged out, without falling back to the env key', async () => {
    expect(await status({ authText: '{ broken' }, { includeToken: true }, { OPENAI_API_KEY: 'sk-env' })).to.deep.equal({
      preferredAuthMethod: 'chatgpt',
    });
  });

  it('keeps the login it started with when another process rewrites auth.json', async () => {
    expect((await status({ auth: { OPENAI_API_KEY: 'sk-first' } })).authToken).to.equal('sk-first');
    home.write('auth.json', JSON.stringify(chatGptAuthJson({ plan: 'pro', accessToken: 'someone-else' })));
    const after = (await client!.request('getAuthStatus', { includeToken: true })).result;
    expect(after).to.deep.equal({ authMethod: 'apikey', preferredAuthMethod: 'chatgpt', authToken: 'sk-first' });
  });

  it('never writes the token anywhere but the getAuthStatus reply that asked for it', async () => {
    await status({ auth: { OPENAI_API_KEY: 'sk-very-secret-1' } }, {}, { OPENAI_API_KEY: undefined, AGENTWIRE_LOG: 'trace' });
    await client!.request('nope', {});
    await client!.request('getAuthStatus', { includeToken: 'x' });
    const out = JSON.stringify(client!.messages);
    expect(out).not.to.contain('sk-very-secret-1');
    expect(client!.stderr).not.to.contain('sk-very-secret-1');
  });
});
