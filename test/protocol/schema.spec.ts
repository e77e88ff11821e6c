import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODEX_INPUT_SCHEMA, CODEX_OUTPUT_SCHEMA, CODEX_REPLY_INPUT_SCHEMA } from '../../src/codex-tools/tool-schemas';
import { codexToolSchemas, protocolSchema } from '../../src/schema/generate';
import { VERSION } from '../../src/version';
import { SERVER_ENTRY } from '../support/mcp-client';

/** Every `type` keyword in a schema whose value is an array (what the MCP Inspector and some clients refuse). */
function typeArrays(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => typeArrays(v, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'type' && Array.isArray(v) ? [`${path}/type`] : typeArrays(v, `${path}/${k}`)));
}

/** A schema without its prose, for comparing shapes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'description')
      .map(([k, v]) => [k, shape(v)]),
  );
}

describe('protocol schema generated from src/protocol/', () => {
  it("gives the codex tools 0.29's names, types, enums and required lists", () => {
    expect(shape(CODEX_INPUT_SCHEMA)).to.deep.equal({
      type: 'object',
      properties: {
        model: { type: 'string' },
        profile: { type: 'string' },
        cwd: { type: 'string' },
        'approval-policy': { type: 'string', enum: ['untrusted', 'on-failure', 'on-request', 'never'] },
        sandbox: { type: 'string', enum: ['read-only', 'workspace-write', 'danger-full-access'] },
        config: { type: 'object', additionalProperties: true },
        'base-instructions': { type: 'string' },
        'include-plan-tool': { type: 'boolean' },
        prompt: { type: 'string' },
      },
      required: ['prompt'],
    });
    expect(shape(CODEX_REPLY_INPUT_SCHEMA)).to.deep.equal({
      type: 'object',
      properties: { prompt: { type: 'string' }, sessionId: { type: 'string' }, conversationId: { type: 'string' } },
      required: ['prompt'],
    });
  });

  it('is portable: no type arrays (lastAgentMessage is anyOf string/null), as the build wrote it', () => {
    expect(typeArrays(CODEX_OUTPUT_SCHEMA)).to.deep.equal([]);
    expect((CODEX_OUTPUT_SCHEMA.properties as Record<string, unknown>).lastAgentMessage).to.deep.include({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(typeArrays(protocolSchema('test'))).to.deep.equal([]);
    expect(codexToolSchemas().codex.inputSchema).to.deep.equal(CODEX_INPUT_SCHEMA);
  });

  it('declares every method of the three eras, with params and result', () => {
    const doc = protocolSchema('test') as { $schema: string; properties: Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }> };
    expect(doc.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
    const requests = doc.properties.incomingRequests.properties;
    for (const method of ['newConversation', 'initialize', 'tools/call', 'server/discover', 'subscriptions/listen', 'tasks/get', 'resources/read']) {
      expect(requests[method], method).to.have.nested.property('properties.result');
    }
    expect(requests.newConversation.properties.params).to.deep.equal({ $ref: '#/$defs/NewConversationParams' });
    expect(doc.properties.outgoingRequests.properties).to.have.keys('execCommandApproval', 'applyPatchApproval', 'elicitation/create');
    expect(doc.properties.outgoingNotifications.properties).to.include.keys('codex/event', 'codex/event/task_complete', 'notifications/progress');
  });

  it('`agentwire schema --out DIR` writes agentwire.schema.json and agentwire.d.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentwire-schema-'));
    try {
      execFileSync(process.execPath, [SERVER_ENTRY, 'schema', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      const schema = JSON.parse(readFileSync(join(dir, 'agentwire.schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
      expect(schema.$defs).to.have.property('TaskCompleteEvent');
      // The bundle keeps every class name as written (the $defs keys and $refs come from them).
      expect(schema).to.deep.equal(protocolSchema(VERSION));
      const types = readFileSync(join(dir, 'agentwire.d.ts'), 'utf8');
      expect(types).to.match(/export interface NewConversationParams \{/);
      expect(types).to.match(/export interface AgentwireProtocol \{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
