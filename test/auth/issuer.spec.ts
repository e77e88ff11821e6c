import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CLIENT_ID, DEFAULT_ISSUER, IssuerClient, IssuerError, issuerSettings } from '../../src/auth/issuer';
import { scrubSecrets } from '../../src/auth/secrets';
import { AgentwireConfig } from '../../src/config/config';
import { MockIssuer } from '../support/mock-issuer';

describe('IssuerClient (AUTH.md §3, §4)', () => {
  let issuer: MockIssuer;
  beforeEach(async () => (issuer = await MockIssuer.start()));
  afterEach(async () => issuer.close());

  const client = (options: { timeoutMs?: number } = {}) => new IssuerClient({ issuer: issuer.url, clientId: 'client-test' }, options);

  it('refreshes with the JSON body codex sends, and the refresh token rotates', async () => {
    const first = issuer.issue({ accountId: 'acc-1' });
    const fresh = await client().refresh(first.refresh_token);
    const [request] = issuer.requests;
    expect(request.contentType).to.equal('application/json');
    expect(JSON.parse(request.raw)).to.deep.equal({
      client_id: 'client-test',
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'openid profile email',
    });
    expect(fresh.idToken).to.be.a('string').and.not.equal('');
    expect(fresh.refreshToken).to.not.equal(first.refresh_token);
    // The old one is dead now.
    const err = await client()
      .refresh(first.refresh_token)
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(IssuerError).with.property('oauthError', 'invalid_grant');
    expect((err as Error).message).to.equal('Failed to refresh token: 400 Bad Request (invalid_grant: The refresh token has already been used or is invalid.); log in again');
  });

  it('never repeats a token the issuer echoes in its error', async () => {
    const tokens = issuer.issue({ accountId: 'acc-1' });
    issuer.failNextRefresh('echo_secret');
    const err = (await client()
      .refresh(tokens.refresh_token)
      .catch((e: unknown) => e)) as Error;
    expect(err.message).to.contain('invalid_token').and.contain('[REDACTED]');
    expect(err.message).not.to.contain(tokens.refresh_token);
  });

  it('form-encodes the code exchange and the API-key exchange', async () => {
    const c = client();
    await c.exchangeCode('the-code', 'http://localhost:1455/auth/callback', 'the-verifier').catch(() => undefined);
    const code = issuer.requests.find((r) => r.kind === 'code')!;
    expect(code.contentType).to.equal('application/x-www-form-urlencoded');
    expect(code.raw).to.equal(
      'grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&client_id=client-test&code_verifier=the-verifier',
    );
    const key = await c.exchangeApiKey('a.b.c');
    expect(key).to.match(/^sk-exchanged-/);
    const exchange = issuer.requests.find((r) => r.kind === 'api-key')!;
    expect(exchange.raw).to.equal(
      'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=client-test&requested_token=openai-api-key&subject_token=a.b.c&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token',
    );
  });

  it('gives up after its timeout with codex text', async () => {
    const release = issuer.holdRefreshes();
    const tokens = issuer.issue({ accountId: 'acc-1' });
    const err = (await client({ timeoutMs: 200 })
      .refresh(tokens.refresh_token)
      .catch((e: unknown) => e)) as Error;
    release();
    expect(err).to.be.instanceOf(IssuerError);
    expect(err.message).to.equal('timed out while refreshing OpenAI API key');
  });

  it('names a network failure without any token', async () => {
    // A port that was just free: nothing listens there.
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = (await new IssuerClient({ issuer: `http://127.0.0.1:${port}`, clientId: 'c' }).refresh('rt-secret-network-123').catch((e: unknown) => e)) as Error;
    expect(err.message).to.match(/^Failed to refresh token: error sending request: .*ECONNREFUSED/);
    expect(err.message).not.to.contain('rt-secret-network-123');
  });
});

describe('issuerSettings', () => {
  it('defaults to codex, takes config, and lets AGENTWIRE_AUTH_ISSUER win', () => {
    const none = AgentwireConfig.fromTree('/h', {});
    expect(issuerSettings(none, {})).to.deep.equal({ issuer: DEFAULT_ISSUER, clientId: DEFAULT_CLIENT_ID });
    const set = AgentwireConfig.fromTree('/h', { auth_issuer: 'http://127.0.0.1:9/', auth_client_id: 'mine' });
    expect(issuerSettings(set, {})).to.deep.equal({ issuer: 'http://127.0.0.1:9', clientId: 'mine' });
    expect(issuerSettings(set, { AGENTWIRE_AUTH_ISSUER: 'http://127.0.0.1:8' }).issuer).to.equal('http://127.0.0.1:8');
  });
});

describe('scrubSecrets', () => {
  it('removes given secrets, JWT-shaped text and API keys', () => {
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';
    expect(scrubSecrets(`a rt-secret-1234 b ${jwt} c sk-abcdefghijkl d`, ['rt-secret-1234'])).to.equal('a [REDACTED] b [REDACTED] c [REDACTED] d');
  });
});
