import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpTestClient, type JsonMessage } from './mcp-client';
import { mockConfig, type EngineOptions } from './engine-home';

/**
 * config.toml for a home whose model is the mock provider and whose login goes to the mock
 * issuer: the provider uses the login (`requires_openai_auth`), the callback port is any free one.
 */
export function authHomeConfig(modelUrl: string, issuerUrl: string, options: EngineOptions & { loginTimeoutMs?: number } = {}): string {
  const top = [
    `auth_issuer = "${issuerUrl}"`,
    'login_port = 0',
    options.loginTimeoutMs !== undefined ? `login_timeout_ms = ${options.loginTimeoutMs}` : '',
    options.top ?? '',
  ].join('\n');
  return mockConfig(modelUrl, { ...options, top, extra: ['requires_openai_auth = true', options.extra ?? ''].join('\n') });
}

/** Resolves once the server's stderr has shown `pattern` (logs are written as they happen). */
export function waitForStderr(client: McpTestClient, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  if (pattern.test(client.stderr)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!pattern.test(client.stderr)) return;
      clearTimeout(timer);
      client.proc.stderr.off('data', onData);
      resolve();
    };
    const timer = setTimeout(() => {
      client.proc.stderr.off('data', onData);
      reject(new Error(`stderr never showed ${pattern}; it has: ${client.stderr.slice(-2000)}`));
    }, timeoutMs);
    // Registered after the client's own listener, so client.stderr already holds the chunk.
    client.proc.stderr.on('data', onData);
  });
}

/** auth.json of a home, parsed. */
export function readAuthJson(home: string): Record<string, any> {
  return JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8')) as Record<string, any>;
}

/** A client's messages from index `from` on, for checking the order of a reply and its events. */
export function indexOf(client: McpTestClient, match: (m: JsonMessage) => boolean): number {
  return client.messages.findIndex(match);
}
