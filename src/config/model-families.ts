/** What agentwire knows about a model name: its context window and output limit, in tokens. */
export interface ModelInfo {
  contextWindow: number;
  maxOutputTokens: number;
}

/**
 * Exact model names. The values are the ones codex 0.29 reports in
 * `task_started.model_context_window` (CONFIG.md §2, measured for gpt-5, gpt-4.1, o3,
 * codex-mini-latest, gpt-4o and gpt-oss-20b) and the providers' published limits for the rest.
 */
const KNOWN_MODELS: ReadonlyMap<string, ModelInfo> = new Map([
  ['gpt-5', { contextWindow: 400_000, maxOutputTokens: 128_000 }],
  ['o3', { contextWindow: 200_000, maxOutputTokens: 100_000 }],
  ['o4-mini', { contextWindow: 200_000, maxOutputTokens: 100_000 }],
  ['codex-mini-latest', { contextWindow: 200_000, maxOutputTokens: 100_000 }],
  ['gpt-4.1', { contextWindow: 1_047_576, maxOutputTokens: 32_768 }],
  ['gpt-4.1-2025-04-14', { contextWindow: 1_047_576, maxOutputTokens: 32_768 }],
  ['gpt-4.1-mini', { contextWindow: 1_047_576, maxOutputTokens: 32_768 }],
  ['gpt-4.1-nano', { contextWindow: 1_047_576, maxOutputTokens: 32_768 }],
  ['gpt-4o', { contextWindow: 128_000, maxOutputTokens: 16_384 }],
  ['gpt-4o-2024-08-06', { contextWindow: 128_000, maxOutputTokens: 16_384 }],
  ['gpt-4o-2024-11-20', { contextWindow: 128_000, maxOutputTokens: 16_384 }],
  ['gpt-4o-2024-05-13', { contextWindow: 128_000, maxOutputTokens: 4_096 }],
  ['gpt-3.5-turbo', { contextWindow: 16_385, maxOutputTokens: 4_096 }],
  // The gpt-oss models share a 128k pool; codex splits it 3/4 input, 1/4 output.
  ['gpt-oss-20b', { contextWindow: 96_000, maxOutputTokens: 32_000 }],
  ['gpt-oss-120b', { contextWindow: 96_000, maxOutputTokens: 32_000 }],
]);

/**
 * Dated or sized variants (`gpt-5-mini`, `gpt-5-2025-08-07`) share their family's window, so
 * a prefix is enough for them; exact names are looked up first.
 */
const FAMILY_PREFIXES: ReadonlyArray<[string, ModelInfo]> = [
  ['gpt-5', { contextWindow: 400_000, maxOutputTokens: 128_000 }],
  ['codex-', { contextWindow: 200_000, maxOutputTokens: 100_000 }],
];

/** Limits of `model`, or undefined when agentwire does not know it. */
export function modelInfo(model: string): ModelInfo | undefined {
  const exact = KNOWN_MODELS.get(model);
  if (exact) return exact;
  return FAMILY_PREFIXES.find(([prefix]) => model.startsWith(prefix))?.[1];
}

/** The context window of `model` in tokens; null for unknown models, as codex reports them. */
export function contextWindowFor(model: string): number | null {
  return modelInfo(model)?.contextWindow ?? null;
}

/**
 * Whether the Responses API request carries `reasoning` (effort and summary) for `model`.
 * Measured: sent for gpt-5 and o3, `"reasoning":null` for an unknown name (CONFIG.md §2).
 */
export function isReasoningFamily(model: string): boolean {
  return ['gpt-5', 'o3', 'o4', 'codex-mini'].some((prefix) => model.startsWith(prefix));
}

/**
 * Whether the Responses API request carries `text.verbosity` for `model`. Measured: sent for
 * gpt-5, not for o3 (CONFIG.md §2).
 */
export function supportsVerbosity(model: string): boolean {
  return model.startsWith('gpt-5');
}
