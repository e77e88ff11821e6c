import { injectable } from 'tsyringe';
import { AuthManager } from '../auth/auth-manager';
import type { ProviderInfo } from '../config/provider-info';
import { ModelClient } from '../model/model-client';
import type { ModelEvent, ModelRequest } from '../model/model-events';
import { demoModelStream } from '../offline-model/demo-model';

/**
 * Where a turn's model requests go: the bundled offline model, or an HTTP provider through the
 * ModelClient with the credential the AuthManager holds at the moment each request is sent.
 */
@injectable()
export class ModelGateway {
  private readonly client = new ModelClient();

  constructor(private readonly auth: AuthManager) {}

  stream(req: ModelRequest, provider: ProviderInfo, signal: AbortSignal, onRetry: (message: string) => void): AsyncIterable<ModelEvent> {
    if (provider.offline) return demoModelStream(req, signal);
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
