import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY } from '../support/mcp-client';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { clientStderrLines, findPythonClient, REPO_ROOT, runPython, type PythonRun } from '../support/python-client';
import { readTapLog, tapped, tapSchemaProblems } from '../support/tap-log';
import { TempHome } from '../support/temp-home';

const MODERN = '2026-07-28';
const SCENARIOS = join(REPO_ROOT, 'test', 'e2e', 'python', 'resources_scenarios.py');
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hello from the patch\n*** End Patch\n';

/**
 * Conversations as resources in MCP 2026-07-28 with the official Python client (`mcp` 2.3.0):
 * list, templates, a transcript and a diff after a turn that applied a patch, and a
 * subscriptions/listen stream that reports the next turn and a new conversation. Skips with the
 * reason when the client's virtual environment is missing (scripts/python-client-venv.sh).
 */
describe('conversations as resources in 2026-07-28 with the Python client mcp 2.3.0', function () {
  this.timeout(60_000);
  let python = '';
  let mock: MockProvider;
  let home: TempHome;
  let work: string;
  let run: PythonRun;
  let out: Record<string, any>;
  const tapLog = () => `${work}.tap.log`;

  before(async function () {
    const found = findPythonClient();
    if ('reason' in found) {
      console.log(`      skipped: ${found.reason}`);
      this.skip();
    }
    python = found.python;
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'never' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
    mock.enqueue(
      { kind: 'tool_call', name: 'shell', callId: 'p1', arguments: { command: ['apply_patch', PATCH] } },
      { kind: 'text', text: 'patched it' },
      { kind: 'text', text: 'second answer' },
      { kind: 'text', text: 'another conversation' },
    );
    const server = tapped(tapLog(), process.execPath, [SERVER_ENTRY, 'mcp']);
    const env = { ...process.env, PYTHONWARNINGS: undefined, PYTHONPATH: undefined, AGENTWIRE_LOG: undefined, RUST_LOG: undefined, CODEX_HOME: home.path };
    run = await runPython(python, [SCENARIOS, 'auto', work, server.command, ...server.args], { cwd: work, env });
    try {
      out = JSON.parse(run.stdout);
    } catch {
      throw new Error(`the Python client printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    expect(out.error, 'the Python client failed').to.equal(undefined);
  });

  after(async () => {
    await mock?.close();
    home?.remove();
    if (work) {
      rmSync(work, { recursive: true, force: true });
      rmSync(tapLog(), { force: true });
    }
  });

  it('settles on 2026-07-28; the codex result links to its conversation, which resources/list lists', () => {
    expect(out.protocolVersion).to.equal(MODERN);
    expect(out.codex.content[1]).to.include({ type: 'resource_link', uri: out.uri });
    expect(out.list.resources.map((r: { uri: string }) => r.uri)).to.deep.equal([out.uri]);
    expect(out.templates.resourceTemplates).to.have.length(4);
  });

  it('reads the transcript (Markdown and JSON) and the diff of the turn that applied a patch', () => {
    const [markdown, json] = out.transcript.contents;
    expect(markdown.mimeType).to.equal('text/markdown');
    expect(markdown.text).to.contain('Add a greeting file').and.to.contain('+hello from the patch').and.to.contain('patched it');
    expect(json.mimeType).to.equal('application/json');
    expect(JSON.parse(json.text).items.length).to.be.greaterThan(3);
    expect(out.diff.contents[0].mimeType).to.equal('text/x-diff');
    expect(out.diff.contents[0].text).to.contain('hello.txt').and.to.contain('+hello from the patch');
  });

  it('an unknown conversation is -32602', () => {
    expect(out.unknownError.code).to.equal(-32602);
  });

  it('a listen stream with resourceSubscriptions and resourcesListChanged reports the next turn and a new conversation', () => {
    expect(out.honored).to.deep.equal({ resourceSubscriptions: [out.uri], resourcesListChanged: true });
    expect(out.reply.content[0].text).to.equal('second answer');
    expect(out.events).to.include.members([`updated ${out.uri}`, 'list_changed']);
    expect(out.summary).to.include({ turnCount: 2, status: 'idle' });
  });

  it('the server wrote only schema-valid messages, and the client warned about nothing', () => {
    expect(tapSchemaProblems(readTapLog(tapLog()))).to.deep.equal([]);
    expect(out.warnings).to.deep.equal([]);
    expect(clientStderrLines(run.stderr)).to.deep.equal([]);
  });
});
