import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpTestClient, type JsonMessage } from './mcp-client';
import { MockProvider } from './mock-provider';
import { TempHome } from './temp-home';

/** `extra` config that keeps /tmp and $TMPDIR out of workspace-write's roots, so a fresh temporary folder is "outside". */
export const ROOTS_WITHOUT_TMP = '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n';

export interface EngineOptions {
  wireApi?: 'chat' | 'responses';
  requestMaxRetries?: number;
  streamMaxRetries?: number;
  idleTimeoutMs?: number;
  approvalPolicy?: string;
  sandboxMode?: string;
  /** Extra config.toml text, appended after the top-level keys (may open tables). */
  extra?: string;
  /** Extra top-level keys (before any table). */
  top?: string;
  env?: Record<string, string | undefined>;
  /** Prepares the home folder before the server starts; returns top-level config.toml lines to add. */
  setupHome?: (home: TempHome) => string | undefined;
}

/** config.toml for a home whose model provider is the mock (as the referee harness does). */
export function mockConfig(url: string, o: EngineOptions = {}): string {
  return [
    'model = "mock-model"',
    'model_provider = "mock"',
    `approval_policy = "${o.approvalPolicy ?? 'untrusted'}"`,
    `sandbox_mode = "${o.sandboxMode ?? 'danger-full-access'}"`,
    o.top ?? '',
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = "${url}"`,
    `wire_api = "${o.wireApi ?? 'chat'}"`,
    `request_max_retries = ${o.requestMaxRetries ?? 0}`,
    `stream_max_retries = ${o.streamMaxRetries ?? 0}`,
    o.idleTimeoutMs !== undefined ? `stream_idle_timeout_ms = ${o.idleTimeoutMs}` : '',
    o.extra ?? '',
    '',
  ].join('\n');
}

/** A mock provider, a home configured for it, a work folder, and a server process: the usual integration setup. */
export class EngineFixture {
  readonly work: string;
  private constructor(
    readonly mock: MockProvider,
    readonly home: TempHome,
    readonly client: McpTestClient,
  ) {
    this.work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
  }

  static async start(options: EngineOptions = {}): Promise<EngineFixture> {
    const mock = await MockProvider.start();
    const home = new TempHome();
    const top = options.setupHome?.(home);
    home.write('config.toml', mockConfig(mock.url, top === undefined ? options : { ...options, top: [options.top ?? '', top].join('\n') }));
    const client = McpTestClient.spawn({ home: home.path, env: options.env });
    const fixture = new EngineFixture(mock, home, client);
    await client.initialize();
    return fixture;
  }

  async newConversation(params: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.client.typed.requestRaw('newConversation', { cwd: this.work, ...params });
    if (reply.error) throw new Error(`newConversation failed: ${JSON.stringify(reply.error)}`);
    return (reply.result as { conversationId: string }).conversationId;
  }

  /** A conversation with a listener. */
  async listenedConversation(params: Record<string, unknown> = {}): Promise<string> {
    const id = await this.newConversation(params);
    await this.client.typed.request('addConversationListener', { conversationId: id });
    return id;
  }

  async send(conversationId: string, text: string): Promise<JsonMessage> {
    return this.client.typed.requestRaw('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text } }] });
  }

  /** Waits for the n-th (1-based) event of a type in a conversation. */
  event(conversationId: string, type: string, nth = 1, timeoutMs = 10_000): Promise<JsonMessage> {
    let seen = 0;
    return this.client.waitFor(
      (m) => m.method === `codex/event/${type}` && m.params?.conversationId === conversationId && ++seen === nth,
      timeoutMs,
      `${type} #${nth} of ${conversationId}`,
    );
  }

  /** Every event of a conversation received so far, as msg objects. */
  events(conversationId: string): JsonMessage[] {
    return this.client.messages
      .filter((m) => typeof m.method === 'string' && m.method.startsWith('codex/event/') && m.params?.conversationId === conversationId)
      .map((m) => m.params);
  }

  rolloutFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.jsonl')) out.push(path);
      }
    };
    try {
      walk(join(this.home.path, 'sessions'));
    } catch {
      // no sessions folder yet
    }
    return out;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.mock.close();
    this.home.remove();
    rmSync(this.work, { recursive: true, force: true });
  }
}
