import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EVENT_TYPES } from '../../src/protocol/event-types';
import { EVENT_SHAPES, TaskCompleteEvent } from '../../src/protocol/events';
import { CodexEvent, IncomingRequest, OutgoingRequest } from '../../src/protocol/methods';
import { resolveShapes } from '../../src/protocol/spec';
import { AuthStatusResult } from '../../src/protocol/codex-results';
import { ElicitationResult, ExecCommandApprovalParams } from '../../src/protocol/approvals';
import { InitializeResult } from '../../src/protocol/mcp';
import { CallToolRequestParams } from '../../src/protocol/mcp-2026';
import { NewConversationParams } from '../../src/protocol/codex-params';
import { ResourceUriParams } from '../../src/protocol/resources';

/** The compiled modules a fresh process has loaded after requiring `entry` (paths relative to build/src). */
function modulesLoadedBy(entry: string): string[] {
  const src = join(__dirname, '..', '..', 'src');
  const script = `require('reflect-metadata'); require(${JSON.stringify(join(src, entry))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  return loaded.filter((f) => f.startsWith(src)).map((f) => f.slice(src.length + 1));
}

describe('protocol classes only the schema generator reads (Deferred)', () => {
  it('resolveShapes gives a class as it is and calls an arrow function', () => {
    expect(resolveShapes(InitializeResult)).to.equal(InitializeResult);
    expect(resolveShapes(() => AuthStatusResult)).to.equal(AuthStatusResult);
    expect(resolveShapes(() => [AuthStatusResult, InitializeResult])).to.deep.equal([AuthStatusResult, InitializeResult]);
  });

  it('declarations give the same classes as before, through their functions', () => {
    expect(resolveShapes(IncomingRequest.initialize.result)).to.equal(InitializeResult);
    expect(resolveShapes(IncomingRequest.getAuthStatus.result)).to.equal(AuthStatusResult);
    expect(resolveShapes(OutgoingRequest.execCommandApproval.params!)).to.equal(ExecCommandApprovalParams);
    expect(resolveShapes(OutgoingRequest.elicitationCreate.result)).to.equal(ElicitationResult);
    expect(CodexEvent.task_complete.msg()).to.equal(TaskCompleteEvent);
    expect(CodexEvent.task_complete.description).to.equal('TaskCompleteEvent');
  });

  it('lists every event type once, in the order of EVENT_SHAPES', () => {
    expect(EVENT_TYPES).to.deep.equal(Object.keys(EVENT_SHAPES));
    expect(Object.keys(CodexEvent)).to.deep.equal(Object.keys(EVENT_SHAPES));
  });

  it("the server loads the declarations and initialize's params, not the modules of classes it only sends or later requests need", () => {
    const loaded = modulesLoadedBy('server.js');
    expect(loaded).to.include.members(['protocol/methods.js', 'protocol/event-types.js', 'protocol/mcp-params.js', 'protocol/mcp-2026-names.js', 'protocol/resource-uris.js']);
    for (const later of ['events', 'codex-results', 'approvals', 'mcp', 'mcp-2026', 'resources', 'codex-params', 'tasks']) {
      expect(loaded).to.not.include(`protocol/${later}.js`);
    }
  });

  it("a deferred params class is the one the router validates a method's first request with", () => {
    expect(resolveShapes(IncomingRequest.newConversation.params!)).to.equal(NewConversationParams);
    expect(resolveShapes(IncomingRequest.resourcesRead.params!)).to.equal(ResourceUriParams);
    expect(resolveShapes(IncomingRequest.toolsCall.params!)).to.equal(CallToolRequestParams);
  });
});
