import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { AgentwireClient } from '../../src/client';

/** The built server the integration tests run (npm test builds it first). */
export const SERVER_ENTRY = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

export type JsonMessage = Record<string, any>;
type Waiter = { match: (m: JsonMessage) => boolean; resolve: (m: JsonMessage) => void };
type ServerRequestHandler = (params: any, message: JsonMessage) => unknown | Promise<unknown>;

/** Answer a server request with a JSON-RPC error instead of a result. */
export class ErrorReply {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

export interface SpawnOptions {
  home: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The argv of another MCP server to drive instead of `node dist/cli.js mcp <args>` (`npm run bench -- --server`). */
  command?: string[];
}

/**
 * Drives a real `agentwire mcp` process over stdio the way a client does: raw lines in, parsed
 * messages out, server requests answered by registered handlers. Every wait is for a message or
 * an exit, never a sleep.
 */
export class McpTestClient {
  /**
   * Clients spawned since the last protocol check: test/protocol/live-check.spec.ts checks every
   * message each one exchanged against the protocol's schema after each test, then empties this.
   */
  static readonly unchecked = new Set<McpTestClient>();
  readonly messages: JsonMessage[] = [];
  /** Every message both ways, in order (what the protocol check reads). */
  readonly log: Array<{ dir: 'c2s' | 's2c'; msg: JsonMessage }> = [];
  /** Lines of stdout that were not JSON (there must be none). */
  readonly strayLines: string[] = [];
  stderr = '';
  private nextId = 1000;
  private buffer = '';
  private readonly waiters: Waiter[] = [];
  private readonly handlers = new Map<string, ServerRequestHandler>();
  private typedClient?: AgentwireClient;
  private readonly lineTaps: Array<(line: string) => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => this.onData(chunk));
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    proc.stdin.on('error', () => undefined);
    McpTestClient.unchecked.add(this);
    this.exited = once(proc, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  static spawn(options: SpawnOptions): McpTestClient {
    const [file, ...argv] = options.command ?? [process.execPath, SERVER_ENTRY, 'mcp', ...(options.args ?? [])];
    const proc = spawn(file, argv, {
      cwd: options.cwd,
      env: { ...process.env, AGENTWIRE_LOG: undefined, RUST_LOG: undefined, ...options.env, CODEX_HOME: options.home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new McpTestClient(proc);
  }

  /**
   * The typed client (agentwire/client) over this process's stdio: the helpers below send their
   * requests through it. It sees every message except the server's requests, which stay with
   * onRequest (the raw-JSON tests answer them as they need to).
   */
  get typed(): AgentwireClient {
    if (!this.typedClient) {
      const closeListeners: Array<() => void> = [];
      void this.exited.then(() => closeListeners.forEach((listener) => listener()));
      this.typedClient = new AgentwireClient(
        {
          send: (line) => this.send(JSON.parse(line) as JsonMessage),
          onLine: (listener) => void this.lineTaps.push(listener),
          onClose: (listener) => void closeListeners.push(listener),
          close: () => this.close(),
        },
        { firstId: 500_000 },
      );
    }
    return this.typedClient;
  }

  /** Registers the answer to a server → client request method (elicitations, approvals). */
  onRequest(method: string, handler: ServerRequestHandler): void {
    this.handlers.set(method, handler);
  }

  send(message: JsonMessage): void {
    this.log.push({ dir: 'c2s', msg: message });
    this.proc.stdin.write(JSON.stringify(message) + '\n');
  }

  sendRaw(data: string | Buffer): void {
    for (const line of data.toString().split('\n')) {
      try {
        const msg: unknown = JSON.parse(line);
        if (msg && typeof msg === 'object') this.log.push({ dir: 'c2s', msg: msg });
      } catch {
        // Not JSON (a malformed-input test): nothing to check.
      }
    }
    this.proc.stdin.write(data);
  }

  /** Sends a request and waits for its response (result or error). */
  async request(method: string, params?: unknown, id: string | number = this.nextId++): Promise<JsonMessage> {
    const reply = this.waitForResponse(id);
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return reply;
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  async initialize(capabilities: Record<string, unknown> = { elicitation: {} }): Promise<JsonMessage> {
    const reply = await this.typed.requestRaw('initialize', {
      protocolVersion: '2025-06-18',
      capabilities,
      clientInfo: { name: 'agentwire-tests', version: '1.0.0' },
    });
    this.typed.notify('notifications/initialized');
    return reply;
  }

  waitForResponse(id: string | number | null, timeoutMs = 10_000): Promise<JsonMessage> {
    return this.waitFor((m) => m.id === id && ('result' in m || 'error' in m) && !('method' in m), timeoutMs, `response to id ${String(id)}`);
  }

  waitForNotification(method: string, match: (params: any) => boolean = () => true, timeoutMs = 10_000): Promise<JsonMessage> {
    return this.waitFor((m) => m.method === method && !('id' in m) && match(m.params), timeoutMs, `notification ${method}`);
  }

  /** Resolves with the first message (already received or future) that matches. */
  waitFor(match: (m: JsonMessage) => boolean, timeoutMs = 10_000, what = 'message'): Promise<JsonMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Everything the server wrote after `mark` (an index into messages) up to the reply of a
   * sentinel ping: a way to show that an input got no reply without waiting for a timeout.
   */
  async messagesUntilPing(mark: number): Promise<JsonMessage[]> {
    const id = `sentinel-${this.nextId++}`;
    await this.request('ping', undefined, id);
    const end = this.messages.findIndex((m) => m.id === id);
    return this.messages.slice(mark, end);
  }

  closeStdin(): void {
    this.proc.stdin.end();
  }

  /** Ends the process (if still running) and waits for it. */
  async close(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.stdin.end();
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      let message: JsonMessage;
      try {
        message = JSON.parse(line) as JsonMessage;
      } catch {
        this.strayLines.push(line);
        continue;
      }
      this.messages.push(message);
      this.log.push({ dir: 's2c', msg: message });
      if (typeof message.method === 'string' && 'id' in message) void this.answer(message);
      else for (const tap of this.lineTaps) tap(line);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    }
  }

  private async answer(request: JsonMessage): Promise<void> {
    const handler = this.handlers.get(request.method as string);
    if (!handler) return;
    const outcome = await handler(request.params, request);
    if (outcome instanceof ErrorReply) {
      this.send({ jsonrpc: '2.0', id: request.id, error: { code: outcome.code, message: outcome.message } });
    } else {
      this.send({ jsonrpc: '2.0', id: request.id, result: outcome });
    }
  }
}
