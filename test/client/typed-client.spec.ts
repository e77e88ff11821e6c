import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, memoryTransportPair, RequestError, type AgentwireClient, type ApprovalRequest } from '../../src/client';
import type { EventMsg } from '../../src/protocol/events';
import { startServer, type RunningServer } from '../../src/server';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

/**
 * The typed client and the whole server in one process, over memoryTransportPair: the router,
 * the handlers, a real conversation turn against the mock provider and an approval round trip,
 * with no spawn.
 */
describe('agentwire/client over an in-memory transport pair', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let server: RunningServer;
  let client: AgentwireClient;

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'untrusted' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-client-'));
    const pair = memoryTransportPair();
    server = await startServer({ home: home.path, ...pair.server });
    client = connect(pair.client);
  });

  afterEach(async () => {
    await client.close();
    await server.shutdown('test ended');
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs a conversation turn with an approved command: typed requests, events and the approval handler', async () => {
    mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'call1', arguments: { command: ['touch', 'made.txt'] } }, { kind: 'text', text: 'done' });
    const approvals: ApprovalRequest[] = [];
    client.onApproval((request) => {
      approvals.push(request);
      return 'approved';
    });
    const events: EventMsg['type'][] = [];
    client.onAnyEvent((msg) => events.push(msg.type));
    const complete = new Promise<string | null>((resolve) => client.onEvent('task_complete', (msg) => resolve(msg.last_agent_message)));

    const init = await client.initialize();
    expect(init.serverInfo.name).to.equal('agentwire');
    const { conversationId, model } = await client.request('newConversation', { cwd: work });
    expect(model).to.equal('mock-model');
    await client.request('addConversationListener', { conversationId });
    expect(await client.request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'make a file' } }] })).to.deep.equal({});

    expect(await complete).to.equal('done');
    expect(existsSync(join(work, 'made.txt'))).to.equal(true);
    expect(approvals).to.have.length(1);
    expect(approvals[0].kind).to.equal('exec');
    expect(approvals[0].params).to.include({ conversation_id: conversationId, call_id: 'call1' });
    expect(events).to.include.members(['task_started', 'exec_approval_request', 'exec_command_begin', 'exec_command_end', 'agent_message', 'task_complete']);
  });

  it('rejects an error reply with RequestError (code and message)', async () => {
    const err = await client.request('addConversationListener', { conversationId: '00000000-0000-4000-8000-000000000000' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RequestError);
    expect((err as RequestError).code).to.equal(-32600);
    expect((err as RequestError).message).to.match(/conversation not found/);
  });

  it('answers an approval `denied` when no handler is set', async () => {
    mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'call1', arguments: { command: ['touch', 'never.txt'] } }, { kind: 'text', text: 'ok' });
    const complete = new Promise<void>((resolve) => client.onEvent('task_complete', () => resolve()));
    const { conversationId } = await client.request('newConversation', { cwd: work });
    await client.request('addConversationListener', { conversationId });
    await client.request('sendUserMessage', { conversationId, items: [{ type: 'text', data: { text: 'go' } }] });
    await complete;
    expect(existsSync(join(work, 'never.txt'))).to.equal(false);
  });
});
