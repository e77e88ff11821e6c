import { inject, injectable, type InjectionToken } from 'tsyringe';
import { AuthManager, AuthRefreshError } from '../auth/auth-manager';
import type { ProviderInfo } from '../config/provider-info';
import type { ModelClient } from '../model/model-client';
import { ModelStreamError, type ModelEvent, type ModelRequest } from '../model/model-events';
import { ModelProviderRegistry } from '../model/model-providers';
import { JsonRpcRouter } from '../router/json-rpc-router';
import { RuntimeTuning } from '../runtime/runtime-tuning';

/**
 * A model stream is read on only while at most this much output waits for the client: a burst of
 * deltas arrives faster than a client reads their events, and what it has not read yet stays in
 * the server's memory (measured: up to 3.4 MiB of stdout buffer, and the queued messages, during
 * a 20,000-delta burst). The rest waits in the provider's socket. About a thousand delta events.
 */
export const MODEL_STREAM_OUTPUT_BYTES = 256 * 1024;

/** The HTTP model client, built on the first model request (the container picks its lifetime: one per process). */
export const MODEL_CLIENT: InjectionToken<() => ModelClient> = Symbol.for('agentwire:ModelClient');

/**
 * Where a turn's model requests go: a model provider a plugin contributed for the provider id
 * (the offline demo model is one), or an HTTP provider through the ModelClient with the
 * credential the AuthManager holds at the moment each request is sent.
 */
@injectable()
export class ModelGateway {
  constructor(
    private readonly auth: AuthManager,
    private readonly providers: ModelProviderRegistry,
    @inject(MODEL_CLIENT) private readonly client: () => ModelClient,
    private readonly router: JsonRpcRouter,
    private readonly tuning: RuntimeTuning,
  ) {}

  /** The response's events, a network chunk's worth at a time, as fast as the client reads their events. */
  stream(req: ModelRequest, provider: ProviderInfo, signal: AbortSignal, onRetry: (message: string) => void): AsyncIterable<ModelEvent[]> {
    this.tuning.beforeModelStream();
    const contributed = this.providers.get(provider.id);
    if (contributed) return this.pacedByOutput(contributed.stream(req, signal), signal);
    // An in-process provider whose plugin is not loaded must not fall through to HTTP.
    if (provider.offline) throw new ModelStreamError(`no plugin provides the model provider ${provider.id}`, false);
    return this.pacedByOutput(this.streamWithLogin(this.client(), req, provider, signal, onRetry), signal);
  }

  /**
   * Passes the batches on, asking for the next one only once the events of the last have mostly
   * reached the client (MODEL_STREAM_OUTPUT_BYTES). An abort ends the wait at once.
   */
  private async *pacedByOutput(source: AsyncIterable<ModelEvent[]>, signal: AbortSignal): AsyncGenerator<ModelEvent[], void, undefined> {
    for await (const batch of source) {
      yield batch;
      const room = this.router.whenOutputBelow(MODEL_STREAM_OUTPUT_BYTES, signal);
      if (room) await room;
    }
  }

  /**
   * Streams through the client; when the provider answers 401 before anything was streamed and
   * the login is ChatGPT, the AuthManager refreshes once and the request is sent once more
   * (AUTH.md §3), so a token revoked early does not fail the turn.
   */
  private async *streamWithLogin(
    client: ModelClient,
    req: ModelRequest,
    provider: ProviderInfo,
    signal: AbortSignal,
    onRetry: (message: string) => void,
  ): AsyncGenerator<ModelEvent[], void, undefined> {
    let sentToken: string | undefined;
    const headers = async () => {
      const h = await this.headersFor(provider);
      sentToken = this.auth.current()?.method === 'chatgpt' ? h.authorization?.replace(/^Bearer /, '') : undefined;
      return h;
    };
    let yielded = false;
    try {
      for await (const batch of client.streamBatches(req, provider, headers, signal, onRetry)) {
        yielded = true;
        yield batch;
      }
      return;
    } catch (err) {
      if (yielded || signal.aborted || !isUnauthorized(err) || sentToken === undefined) throw err;
      try {
        if (!(await this.auth.refreshAfterUnauthorized(sentToken))) throw err;
      } catch (refreshErr) {
        if (refreshErr instanceof AuthRefreshError) throw new ModelStreamError(`${(err as Error).message}; ${refreshErr.message}`, false, undefined, 401);
        throw refreshErr;
      }
    }
    yield* client.streamBatches(req, provider, headers, signal, onRetry);
  }

  /** Authorization for providers that use the login (CONFIG.md §3 requires_openai_auth, and `openai`). */
  private async headersFor(provider: ProviderInfo): Promise<Record<string, string>> {
    if (!provider.requiresOpenaiAuth) return {};
    try {
      return await this.auth.requestHeaders();
    } catch (err) {
      // A refresh that failed fails the turn with its reason (an `error` event), not a crash.
      if (err instanceof AuthRefreshError) throw new ModelStreamError(err.message, false);
      throw err;
    }
  }
}

function isUnauthorized(err: unknown): boolean {
  return err instanceof ModelStreamError && err.status === 401;
}
