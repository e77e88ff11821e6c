import { injectable } from 'tsyringe';
import type { ModelEvent, ModelRequest } from './model-events';

/**
 * A model that answers in-process, contributed by a plugin (`ctx.modelProvider`): turns whose
 * provider id is the contribution's send their requests here instead of over HTTP. The bundled
 * offline demo model is one.
 */
export interface ModelProvider {
  /** The response's events, in batches (one network chunk's worth, or one event at a time). */
  stream(req: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent[]>;
}

/** Builds a provider on its first request, so start-up never loads a model nobody uses. */
export type ModelProviderFactory = () => ModelProvider;

/** The model providers plugins contributed, by provider id; one owner per id. */
@injectable()
export class ModelProviderRegistry {
  private readonly entries = new Map<string, { factory: ModelProviderFactory; owner: string; built?: ModelProvider }>();

  add(id: string, factory: ModelProviderFactory, owner: string): void {
    const existing = this.entries.get(id);
    if (existing) {
      throw Object.assign(new Error(`model provider ${id} is registered by both ${existing.owner} and ${owner}`), { code: 'AW_MODEL_PROVIDER_DUPLICATE' });
    }
    this.entries.set(id, { factory, owner });
  }

  /** The contributed provider of an id, built on first use; undefined when no plugin contributed one. */
  get(id: string): ModelProvider | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    entry.built ??= entry.factory();
    return entry.built;
  }
}
