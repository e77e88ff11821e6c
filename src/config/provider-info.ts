/** One model provider, after built-ins and `model_providers.<id>` are merged (CONFIG.md §3). */
export interface ProviderInfo {
  id: string;
  name: string;
  /** Base URL, without a trailing slash; the request goes to `<base>/chat/completions` or `<base>/responses`. */
  baseUrl: string;
  wireApi: 'chat' | 'responses';
  /** Environment variable holding the API key, sent as `Authorization: Bearer`. */
  envKey?: string;
  envKeyInstructions?: string;
  /** Use the AuthManager's credential (API key or ChatGPT token). */
  requiresOpenaiAuth: boolean;
  queryParams: Record<string, string>;
  httpHeaders: Record<string, string>;
  /** Header name → environment variable name; omitted when the variable is unset or empty. */
  envHttpHeaders: Record<string, string>;
  /** Retries of one HTTP request on 5xx / 429 / connection errors (default 4). */
  requestMaxRetries: number;
  /** Retries of the whole model request after a failed stream or spent request retries (default 5). */
  streamMaxRetries: number;
  /** An idle stream fails after this long (default 300000). */
  streamIdleTimeoutMs: number;
  /** agentwire's bundled offline provider: no network, answers in-process (the demo). */
  offline?: boolean;
}
