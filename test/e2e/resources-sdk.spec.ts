import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { SERVER_ENTRY } from '../support/mcp-client';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { TempHome } from '../support/temp-home';

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hello from the patch\n*** End Patch\n';
const applyPatch = { kind: 'tool_call' as const, name: 'shell', callId: 'p1', arguments: { command: ['apply_patch', PATCH] } };

/** The text of a read result's i-th contents. */
function textOf(result: { contents: unknown[] }, i = 0): string {
  return (result.contents[i] as { text: string }).text;
}

/** Resolves on the first notification a handler hands over that matches. */
function nextOf<T>(register: (fn: (n: T) => void) => void, match: (n: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => register((n) => match(n) && resolve(n)));
}

describe('conversations as MCP resources, with the official MCP SDK client (handshake era)', () => {
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let client: Client;
  const updated: Array<(uri: string) => void> = [];
  const listChanged: Array<() => void> = [];

  beforeEach(async () => {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'never' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_ENTRY, 'mcp'],
      env: { ...(process.env as Record<string, string>), CODEX_HOME: home.path },
      stderr: 'pipe',
    });
    client = new Client({ name: 'sdk-resources-test', version: '1.0.0' });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
      for (const fn of updated) fn(n.params.uri);
    });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => {
      for (const fn of listChanged) fn();
    });
    await client.connect(transport);
  });

  afterEach(async () => {
    updated.length = 0;
    listChanged.length = 0;
    await client.close();
    await mock.close();
    home.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('advertises resources with subscribe and listChanged', () => {
    expect(client.getServerCapabilities()?.resources).to.deep.equal({ subscribe: true, listChanged: true });
  });

  it('lists the conversation a codex call made, reads its summary, transcript and diff, and is told of the next turn', async () => {
    // Listing first: from then on the server tells this client when the list changes.
    expect((await client.listResources()).resources).to.deep.equal([]);
    const created = nextOf<void>((fn) => listChanged.push(fn));
    mock.enqueue(applyPatch, { kind: 'text', text: 'patched it' });
    const result = await client.callTool({ name: 'codex', arguments: { prompt: 'Add a greeting file\nplease', cwd: work } });
    await created;
    const sessionId = (result.structuredContent as { sessionId: string }).sessionId;
    const uri = `agentwire://conversations/${sessionId}`;
    expect((result.content as Array<Record<string, unknown>>)[1]).to.include({ type: 'resource_link', uri });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).to.deep.equal([uri]);
    expect(resources[0]).to.include({ name: sessionId, title: 'Add a greeting file', mimeType: 'application/json' });

    const summary = JSON.parse(textOf(await client.readResource({ uri })));
    expect(summary).to.include({ id: sessionId, title: 'Add a greeting file', model: 'mock-model', cwd: work, turnCount: 1, status: 'idle' });
    expect(summary.lastSeq).to.be.greaterThan(0);

    const transcript = await client.readResource({ uri: `${uri}/transcript` });
    expect(transcript.contents.map((c) => c.mimeType)).to.deep.equal(['text/markdown', 'application/json']);
    const markdown = textOf(transcript);
    for (const part of ['**User:**', 'Add a greeting file', '**Patch**', '+hello from the patch', '**Agent:**', 'patched it']) expect(markdown).to.contain(part);
    const items = JSON.parse(textOf(transcript, 1)).items as Array<{ type: string }>;
    expect(items.map((i) => i.type)).to.include.members(['message', 'function_call', 'function_call_output']);

    const diff = (await client.readResource({ uri: `${uri}/diff` })).contents[0] as { mimeType: string; text: string };
    expect(diff.mimeType).to.equal('text/x-diff');
    expect(diff.text).to.contain('hello.txt').and.to.contain('+hello from the patch');

    const events = JSON.parse(textOf(await client.readResource({ uri: `${uri}/events?since=0` })));
    const seqs = (events.events as Array<{ seq: number }>).map((e) => e.seq);
    expect(seqs[0]).to.equal(1);
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1)).to.equal(true);

    await client.subscribeResource({ uri });
    const update = nextOf<string>(
      (fn) => updated.push(fn),
      (u) => u === uri,
    );
    mock.enqueue({ kind: 'text', text: 'second answer' });
    await client.callTool({ name: 'codex-reply', arguments: { prompt: 'again', sessionId } });
    expect(await update).to.equal(uri);
    const after = JSON.parse(textOf(await client.readResource({ uri })));
    expect(after.turnCount).to.equal(2);
    await client.unsubscribeResource({ uri });
  });

  it('lists the templates', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).to.deep.equal([
      'agentwire://conversations/{id}',
      'agentwire://conversations/{id}/transcript',
      'agentwire://conversations/{id}/diff',
      'agentwire://conversations/{id}/events{?since}',
    ]);
  });

  it('answers an unknown conversation with -32002 and a malformed URI with -32602', async () => {
    const codeOf = async (uri: string) => {
      try {
        await client.readResource({ uri });
        return undefined;
      } catch (err) {
        return (err as { code?: number }).code;
      }
    };
    expect(await codeOf('agentwire://conversations/00000000-0000-4000-8000-000000000000')).to.equal(-32002);
    expect(await codeOf('agentwire://conversations/not-a-uuid')).to.equal(-32602);
    expect(await codeOf('agentwire://conversations/00000000-0000-4000-8000-000000000000/nope')).to.equal(-32602);
    expect(await codeOf('agentwire://conversations/00000000-0000-4000-8000-000000000000/events?since=-1')).to.equal(-32602);
    expect(await codeOf('file:///etc/passwd')).to.equal(-32602);
    try {
      await client.subscribeResource({ uri: 'agentwire://conversations/00000000-0000-4000-8000-000000000000' });
      expect.fail('subscribe should have thrown');
    } catch (err) {
      expect((err as { code?: number }).code).to.equal(-32002);
    }
  });
});
