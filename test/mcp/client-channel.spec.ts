import { expect } from 'chai';
import sinon from 'sinon';
import type { DependencyContainer } from 'tsyringe';
import { APPROVALS } from '../../src/approvals/approval-service';
import { CLIENT } from '../../src/mcp/client-channel';
import { ClientSession } from '../../src/mcp/client-session';
import { ConnectionEra } from '../../src/mcp/era/connection-era';
import { SuspendedRuns } from '../../src/mcp/mrtr/suspended-runs';
import { ELICITATION_CREATE, type ElicitInputRequest } from '../../src/protocol/mcp-2026';
import { createTestContainer } from '../support/test-container';

describe('CLIENT: the client per request and era', () => {
  let c: DependencyContainer;
  beforeEach(() => {
    c = createTestContainer();
  });

  const modern = (clientCapabilities: Record<string, unknown>) => ({ protocol: { era: 'modern' as const, clientCapabilities } });

  it('handshake era: the capabilities of initialize, for the connection and for a handshake request', () => {
    const client = c.resolve(CLIENT);
    expect(client.connectionEra).to.equal('undecided');
    expect(client.era()).to.equal('handshake');
    c.resolve(ClientSession).begin('2025-06-18', { elicitation: {} }, { name: 't', version: '1' });
    c.resolve(ConnectionEra).lock('handshake', 'initialize');
    expect(client.connectionEra).to.equal('handshake');
    expect(client.era({ protocol: { era: 'handshake' } })).to.equal('handshake');
    expect(client.capabilities({ protocol: { era: 'handshake' } })).to.deep.equal({ elicitation: {} });
    expect(client.supportsElicitation()).to.equal(true);
  });

  it('modern era: each request has its own capabilities, and the connection remembers none', () => {
    const client = c.resolve(CLIENT);
    c.resolve(ConnectionEra).lock('modern', 'server/discover');
    expect(client.connectionEra).to.equal('modern');
    expect(client.era()).to.equal('modern');
    expect(client.capabilities()).to.deep.equal({});
    expect(client.supportsElicitation()).to.equal(false);
    const withForm = modern({ elicitation: { form: {} } });
    expect(client.era(withForm)).to.equal('modern');
    expect(client.capabilities(withForm)).to.deep.equal({ elicitation: { form: {} } });
    expect(client.supportsElicitation(withForm)).to.equal(true);
    expect(client.supportsElicitation(modern({ elicitation: { url: {} } }))).to.equal(false);
    expect(client.supportsElicitation(modern({}))).to.equal(false);
  });
});

describe("APPROVALS.askInRun: a modern run's approval goes to SuspendedRuns", () => {
  it('hands the question to the run registry and returns its decision', async () => {
    const runs = new SuspendedRuns();
    const ask = sinon.stub(runs, 'ask').resolves({ decision: 'approved' });
    const c = createTestContainer({ overrides: (root) => root.registerInstance(SuspendedRuns, runs) });
    const input: ElicitInputRequest = { method: ELICITATION_CREATE, params: { mode: 'form', message: 'ok?', requestedSchema: { type: 'object', properties: {} } } };
    const signal = new AbortController().signal;
    expect(await c.resolve(APPROVALS).askInRun('run-1', 'approval-c1', input, { timeoutMs: 5, signal })).to.deep.equal({ decision: 'approved' });
    expect(ask.calledOnceWithExactly('run-1', 'approval-c1', input, { timeoutMs: 5, signal })).to.equal(true);
  });

  it('a run that is unknown is denied, with the reason', async () => {
    const outcome = await createTestContainer()
      .resolve(APPROVALS)
      .askInRun(
        'nope',
        'k',
        { method: ELICITATION_CREATE, params: { mode: 'form', message: 'm', requestedSchema: { type: 'object', properties: {} } } },
        { signal: new AbortController().signal },
      );
    expect(outcome).to.deep.equal({ decision: 'denied', problem: 'the tool call this approval belongs to has ended' });
  });
});
