import { McpTestClient, type JsonMessage, type SpawnOptions } from './mcp-client';
import { clientSchemaProblems, schemaProblems } from './mcp-2026-schema';

export const MODERN = '2026-07-28';
export const FORM = { elicitation: { form: {} } };

/** The per-request envelope of MCP 2026-07-28. */
export function envelope(capabilities: Record<string, unknown> = FORM, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'agentwire-tests', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    ...extra,
  };
}

/**
 * A raw JSON-RPC client of the modern era over a spawned server: it adds the envelope, remembers
 * the method of each request id, and checks every message the server wrote against the official
 * schema of 2026-07-28 (assertSchemaValid, called after each test).
 */
export class ModernClient {
  private nextId = 1;
  private readonly methods = new Map<unknown, string>();
  private readonly sent: JsonMessage[] = [];

  constructor(readonly raw: McpTestClient) {}

  static spawn(options: SpawnOptions): ModernClient {
    return new ModernClient(McpTestClient.spawn(options));
  }

  /** A modern request: params plus `_meta` (the envelope, unless `meta` replaces it). */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: { capabilities?: Record<string, unknown>; meta?: Record<string, unknown>; id?: string | number } = {},
  ): Promise<JsonMessage> {
    const id = options.id ?? this.nextId++;
    const meta = options.meta ?? envelope(options.capabilities);
    return this.rawRequest(method, { ...params, _meta: meta }, id);
  }

  /** A request with the params exactly as given (no envelope added). */
  rawRequest(method: string, params: unknown, id: string | number = this.nextId++): Promise<JsonMessage> {
    this.methods.set(id, method);
    const message = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    this.sent.push(message);
    return this.raw.request(method, params, id);
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.raw.notify(method, params);
  }

  /** Sends a request without waiting; returns its id. */
  send(method: string, params: Record<string, unknown>, capabilities?: Record<string, unknown>): number {
    const id = this.nextId++;
    this.methods.set(id, method);
    const message = { jsonrpc: '2.0', id, method, params: { ...params, _meta: envelope(capabilities, params._meta as Record<string, unknown> | undefined) } };
    this.raw.send(message);
    return id;
  }

  get messages(): JsonMessage[] {
    return this.raw.messages;
  }

  /** Every server message so far is valid under the official schema, and stdout held nothing else. */
  schemaProblems(): string[] {
    const problems: string[] = [];
    for (const line of this.raw.strayLines) problems.push(`not JSON on stdout: ${line.slice(0, 200)}`);
    for (const message of this.raw.messages) {
      for (const p of schemaProblems(message, (id) => this.methods.get(id))) problems.push(`${p} in ${JSON.stringify(message).slice(0, 300)}`);
    }
    return problems;
  }

  /** The tests' own modern requests are valid too (so a passing test speaks the revision). */
  clientProblems(): string[] {
    return this.sent.filter((m) => m.params && typeof m.params === 'object' && '_meta' in m.params).flatMap((m) => clientSchemaProblems(m));
  }

  close(): Promise<void> {
    return this.raw.close();
  }
}
