import { injectable } from 'tsyringe';
import { AuthManager } from '../auth/auth-manager';
import type { ProviderInfo } from '../config/provider-info';
import type { ModelClient } from '../model/model-client';
import type { ModelEvent, ModelRequest } from '../model/model-events';

/**
 * Where a turn's model requests go: the bundled offline model, or an HTTP provider through the
 * ModelClient with the credential the AuthManager holds at the moment each request is sent.
 */
@injectable()
export class ModelGateway {
  private client?: ModelClient;

  constructor(private readonly auth: AuthManager) {}

  stream(req: ModelRequest, provider: ProviderInfo, signal: AbortSignal, onRetry: (message: string) => void): AsyncIterable<ModelEvent> {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on the first model request, not at start-up */
    if (provider.offline) return (require('../offline-model/demo-model') as typeof import('../offline-model/demo-model')).demoModelStream(req, signal);
    this.client ??= new (require('../model/model-client') as typeof import('../model/model-client')).ModelClient();
    /* eslint-enable @typescript-eslint/no-require-imports */
    return this.client.stream(req, provider, async () => this.headersFor(provider), signal, onRetry);
  }

  /** Authorization for providers that use the login (CONFIG.md §3 requires_openai_auth, and `openai`). */
  private headersFor(provider: ProviderInfo): Record<string, string> {
    if (!provider.requiresOpenaiAuth) return {};
    const active = this.auth.current();
    if (!active) return {};
    if (active.method === 'apikey') return { authorization: `Bearer ${active.apiKey}` };
    const headers: Record<string, string> = { authorization: `Bearer ${active.accessToken}` };
    if (active.accountId) headers['chatgpt-account-id'] = active.accountId;
    return headers;
  }
}
