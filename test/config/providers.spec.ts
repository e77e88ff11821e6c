import { expect } from 'chai';
import { ConfigDerivationError } from '../../src/config/derivation-error';
import { builtInProviders, providerExists, resolveProvider } from '../../src/config/providers';

describe('model providers (CONFIG.md §3)', () => {
  it('has openai, oss and the offline demo built in', () => {
    const openai = resolveProvider('openai', {}, {});
    expect(openai).to.include({ baseUrl: 'https://api.openai.com/v1', wireApi: 'responses', requiresOpenaiAuth: true });
    expect(openai).to.include({ requestMaxRetries: 4, streamMaxRetries: 5, streamIdleTimeoutMs: 300000 });
    expect(openai.envHttpHeaders).to.deep.equal({ 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' });

    const oss = resolveProvider('oss', {}, {});
    expect(oss).to.include({ baseUrl: 'http://localhost:11434/v1', wireApi: 'chat', requiresOpenaiAuth: false });
    expect(oss.envKey).to.equal(undefined);

    const demo = resolveProvider('agentwire-demo', {}, {});
    expect(demo).to.include({ name: 'agentwire offline demo', baseUrl: 'offline:', wireApi: 'chat', offline: true, requiresOpenaiAuth: false });
  });

  it('takes base URLs from the environment', () => {
    expect(resolveProvider('openai', {}, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/' }).baseUrl).to.equal('http://127.0.0.1:9/v1');
    expect(resolveProvider('openai', {}, { OPENAI_BASE_URL: '  ' }).baseUrl).to.equal('https://api.openai.com/v1');
    expect(resolveProvider('oss', {}, { CODEX_OSS_PORT: '8080' }).baseUrl).to.equal('http://localhost:8080/v1');
    expect(resolveProvider('oss', {}, { CODEX_OSS_BASE_URL: 'http://gpu:1/v1', CODEX_OSS_PORT: '8080' }).baseUrl).to.equal('http://gpu:1/v1');
  });

  it('does not let a user entry replace a built-in (measured)', () => {
    const tree = { model_providers: { openai: { name: 'mock', base_url: 'http://127.0.0.1:1/v1', wire_api: 'chat' } } };
    expect(resolveProvider('openai', tree, {})).to.include({ baseUrl: 'https://api.openai.com/v1', wireApi: 'responses' });
    expect(providerExists('openai', {})).to.equal(true);
  });

  it('maps a user entry with defaults', () => {
    const tree = { model_providers: { mock: { base_url: 'http://127.0.0.1:1/v1/' } } };
    expect(resolveProvider('mock', tree, {})).to.deep.equal({
      id: 'mock',
      name: 'mock',
      baseUrl: 'http://127.0.0.1:1/v1',
      wireApi: 'chat',
      requiresOpenaiAuth: false,
      queryParams: {},
      httpHeaders: {},
      envHttpHeaders: {},
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 300000,
    });
  });

  it('maps every field of a user entry and caps the retries at 100', () => {
    const tree = {
      model_providers: {
        azure: {
          name: 'Azure',
          base_url: 'https://x.openai.azure.com/openai',
          env_key: 'AZURE_KEY',
          env_key_instructions: 'set it',
          wire_api: 'responses',
          query_params: { 'api-version': '2025-04-01-preview' },
          http_headers: { 'x-a': 'b' },
          env_http_headers: { 'x-org': 'ORG' },
          request_max_retries: 1000,
          stream_max_retries: 0,
          stream_idle_timeout_ms: 1000,
          requires_openai_auth: true,
        },
      },
    };
    expect(resolveProvider('azure', tree, {})).to.deep.equal({
      id: 'azure',
      name: 'Azure',
      baseUrl: 'https://x.openai.azure.com/openai',
      envKey: 'AZURE_KEY',
      envKeyInstructions: 'set it',
      wireApi: 'responses',
      queryParams: { 'api-version': '2025-04-01-preview' },
      httpHeaders: { 'x-a': 'b' },
      envHttpHeaders: { 'x-org': 'ORG' },
      requestMaxRetries: 100,
      streamMaxRetries: 0,
      streamIdleTimeoutMs: 1000,
      requiresOpenaiAuth: true,
    });
  });

  it('names an unknown provider and a bad field', () => {
    expect(() => resolveProvider('nope', {}, {})).to.throw(ConfigDerivationError, 'model provider `nope` not found');
    expect(() => resolveProvider('constructor', {}, {})).to.throw(ConfigDerivationError, 'model provider `constructor` not found');
    expect(() => resolveProvider('m', { model_providers: { m: { wire_api: 'grpc' } } }, {})).to.throw(
      /`model_providers\.m\.wire_api`: expected one of chat, responses \(got "grpc"\)/,
    );
    expect(() => resolveProvider('m', { model_providers: { m: { request_max_retries: -1 } } }, {})).to.throw(/`model_providers\.m\.request_max_retries`/);
  });

  it('builds fresh objects each time, so callers may change them', () => {
    const a = builtInProviders({});
    a.openai.httpHeaders.x = 'y';
    expect(builtInProviders({}).openai.httpHeaders).to.deep.equal({});
  });
});
