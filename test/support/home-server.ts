import { McpTestClient, type JsonMessage } from './mcp-client';

/** One server process on a home that outlives it: the restart tests kill it and start another on the same home. */
export class HomeServer {
  private constructor(readonly client: McpTestClient) {}

  static async start(home: string): Promise<HomeServer> {
    const server = new HomeServer(McpTestClient.spawn({ home }));
    await server.client.initialize();
    return server;
  }

  get pid(): number {
    return this.client.proc.pid!;
  }

  request(method: string, params?: unknown): Promise<JsonMessage> {
    return this.client.request(method, params);
  }

  async result(method: string, params?: unknown): Promise<any> {
    const reply = await this.client.request(method, params);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  async listened(params: Record<string, unknown>): Promise<string> {
    const { conversationId } = await this.result('newConversation', params);
    await this.result('addConversationListener', { conversationId });
    return conversationId as string;
  }

  /** Sends a message and waits for the task_complete of that submission. */
  async turn(conversationId: string, text: string, submission: string): Promise<JsonMessage> {
    const done = this.client.waitFor(
      (m) => m.method === 'codex/event/task_complete' && m.params?.conversationId === conversationId && m.params?.id === submission,
      10_000,
      `task_complete ${submission} of ${conversationId}`,
    );
    await this.result('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text } }] });
    return done;
  }

  /** SIGKILL: no shutdown hook runs, as in a crash. */
  async kill(): Promise<void> {
    this.client.proc.kill('SIGKILL');
    await this.client.exited;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
