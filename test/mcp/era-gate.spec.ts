import { expect } from 'chai';
import { ClientSession } from '../../src/mcp/client-session';
import { ConnectionEra } from '../../src/mcp/era/connection-era';
import { EraGate } from '../../src/mcp/era/era-gate';
import type { RequestContext } from '../../src/router/handler';

const meta = (extra: Record<string, unknown> = {}) => ({
  _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, ...extra },
});

describe('EraGate (the one era decision)', () => {
  let era: ConnectionEra;
  let gate: EraGate;
  beforeEach(() => {
    era = new ConnectionEra();
    gate = new EraGate(era, new ClientSession());
  });

  it('locks the handshake era on a request without the version key, for good', () => {
    expect(gate.admitRequest('getAuthStatus', {}, true)).to.deep.equal({ protocol: { era: 'handshake' } });
    expect(era.current).to.equal('handshake');
    expect(gate.admitRequest('tools/list', meta(), true)).to.have.nested.property('error.code', -32600);
    expect(era.current).to.equal('handshake');
  });

  it('locks the modern era on a valid envelope and gives the request its own capabilities', () => {
    const verdict = gate.admitRequest('tools/list', meta({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } }), true);
    expect(verdict).to.deep.equal({ protocol: { era: 'modern', clientCapabilities: { elicitation: {} } } });
    expect(era.current).to.equal('modern');
    expect(gate.admitRequest('tools/list', meta(), true)).to.deep.equal({ protocol: { era: 'modern', clientCapabilities: {} } });
  });

  it('leaves the era undecided after a refused envelope', () => {
    expect(gate.admitRequest('server/discover', meta({ 'io.modelcontextprotocol/protocolVersion': '2025-06-18' }), true)).to.have.nested.property('error.code', -32022);
    expect(gate.admitRequest('server/discover', {}, true)).to.have.nested.property('error.code', -32602);
    expect(era.current).to.equal('undecided');
  });

  it('finishes modern results with resultType, serverInfo and cache hints, without touching the original', () => {
    gate.admitRequest('tools/list', meta(), true);
    const page = { tools: [] };
    const ctx = { protocol: { era: 'modern', clientCapabilities: {} } } as unknown as RequestContext;
    const out = gate.finishResult('tools/list', page, ctx) as Record<string, unknown>;
    expect(out).to.include({ resultType: 'complete', ttlMs: 300000, cacheScope: 'public' });
    expect(out._meta).to.have.property('io.modelcontextprotocol/serverInfo');
    expect(page).to.deep.equal({ tools: [] });
    const handshake = { protocol: { era: 'handshake' } } as unknown as RequestContext;
    expect(gate.finishResult('tools/list', page, handshake)).to.equal(page);
  });

  it('lets only responses, progress and listen notifications out on a modern connection', () => {
    expect(gate.allowOutgoing({ jsonrpc: '2.0', method: 'codex/event', params: {} })).to.equal(true); // undecided: unchanged
    gate.admitRequest('tools/list', meta(), true);
    expect(gate.allowOutgoing({ jsonrpc: '2.0', id: 1, result: {} })).to.equal(true);
    expect(gate.allowOutgoing({ jsonrpc: '2.0', method: 'notifications/progress', params: {} })).to.equal(true);
    expect(gate.allowOutgoing({ jsonrpc: '2.0', method: 'codex/event', params: {} })).to.equal(false);
    expect(gate.allowOutgoing({ jsonrpc: '2.0', method: 'notifications/message', params: {} })).to.equal(false);
    expect(gate.allowOutgoing({ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} })).to.equal(false);
  });
});
