import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { ModernClient, envelope } from '../support/modern-client';
import { TempHome } from '../support/temp-home';

const SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hello from the patch\n*** End Patch\n';
const applyPatch = { kind: 'tool_call' as const, name: 'shell', callId: 'p1', arguments: { command: ['apply_patch', PATCH] } };

/**
 * Conversations as resources in MCP 2026-07-28, raw JSON-RPC: every message the server writes is
 * checked against the official schema after each test (ModernClient.schemaProblems).
 */
describe('conversations as MCP resources in 2026-07-28 (raw JSON-RPC, schema-checked)', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let client: ModernClient;

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'never' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-modern-'));
    client = ModernClient.spawn({ home: home.path });
  });

  afterEach(async function () {
    const problems = client.schemaProblems();
    await client.close();
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
    if (this.currentTest?.state !== 'failed') expect(problems, 'messages the official 2026-07-28 schema rejects').to.deep.equal([]);
  });

  async function codex(prompt: string): Promise<string> {
    const reply = await client.request('tools/call', { name: 'codex', arguments: { prompt, cwd: work } });
    expect(reply.result.resultType).to.equal('complete');
    const sessionId = reply.result.structuredContent.sessionId as string;
    expect(reply.result.content[1]).to.include({ type: 'resource_link', uri: `agentwire://conversations/${sessionId}` });
    return sessionId;
  }

  it('advertises resources in server/discover, lists, reads transcript and diff, and follows a conversation on a listen stream', async () => {
    const discover = await client.request('server/discover');
    expect(discover.result.capabilities.resources).to.deep.equal({ subscribe: true, listChanged: true });

    mock.enqueue(applyPatch, { kind: 'text', text: 'patched it' });
    const id = await codex('Add a greeting file');
    const uri = `agentwire://conversations/${id}`;

    const list = await client.request('resources/list');
    expect(list.result).to.include({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(list.result.resources.map((r: { uri: string }) => r.uri)).to.deep.equal([uri]);

    const templates = await client.request('resources/templates/list');
    expect(templates.result.resultType).to.equal('complete');
    expect(templates.result.resourceTemplates).to.have.length(4);

    const transcript = await client.request('resources/read', { uri: `${uri}/transcript` });
    expect(transcript.result).to.include({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(transcript.result.contents.map((c: { mimeType: string }) => c.mimeType)).to.deep.equal(['text/markdown', 'application/json']);
    expect(transcript.result.contents[0].text).to.contain('+hello from the patch').and.to.contain('patched it');
    const diff = await client.request('resources/read', { uri: `${uri}/diff` });
    expect(diff.result.contents[0]).to.include({ mimeType: 'text/x-diff' });
    expect(diff.result.contents[0].text).to.contain('+hello from the patch');

    const listenId = client.send('subscriptions/listen', {
      notifications: { resourcesListChanged: true, resourceSubscriptions: [uri, 'agentwire://conversations/00000000-0000-4000-8000-000000000000', 'bad:uri'] },
    });
    const ack = await client.raw.waitForNotification('notifications/subscriptions/acknowledged');
    // Only the URI of a conversation that exists is honoured.
    expect(ack.params.notifications).to.deep.equal({ resourcesListChanged: true, resourceSubscriptions: [uri] });

    mock.enqueue({ kind: 'text', text: 'second answer' });
    const reply = await client.request('tools/call', { name: 'codex-reply', arguments: { prompt: 'again', sessionId: id } });
    expect(reply.result.content[0].text).to.equal('second answer');
    const updated = await client.raw.waitForNotification('notifications/resources/updated', (p) => p.uri === uri);
    expect(updated.params._meta).to.deep.equal({ [SUBSCRIPTION]: listenId });
    const summary = JSON.parse((await client.request('resources/read', { uri })).result.contents[0].text);
    expect(summary).to.include({ id, turnCount: 2, status: 'idle' });

    mock.enqueue({ kind: 'text', text: 'another' });
    await codex('a new one');
    const changed = await client.raw.waitForNotification('notifications/resources/list_changed');
    expect(changed.params._meta).to.deep.equal({ [SUBSCRIPTION]: listenId });
    client.notify('notifications/cancelled', { requestId: listenId, _meta: envelope() });
    // The test's own requests speak the revision too (the other test sends a removed method on purpose).
    expect(client.clientProblems()).to.deep.equal([]);
  });

  it('answers an unknown conversation with -32602 {uri}, a malformed URI with -32602, and resources/subscribe with -32601', async () => {
    const missing = 'agentwire://conversations/00000000-0000-4000-8000-000000000000';
    const unknown = await client.request('resources/read', { uri: missing });
    expect(unknown.error).to.deep.include({ code: -32602, message: `Resource not found: ${missing}` });
    expect(unknown.error.data).to.deep.equal({ uri: missing });
    const bad = await client.request('resources/read', { uri: 'agentwire://conversations/nope' });
    expect(bad.error.code).to.equal(-32602);
    const subscribe = await client.request('resources/subscribe', { uri: missing });
    expect(subscribe.error.code).to.equal(-32601);
  });
});
