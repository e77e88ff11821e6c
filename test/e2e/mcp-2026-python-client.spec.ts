import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY } from '../support/mcp-client';
import { mockConfig } from '../support/engine-home';
import { MockProvider } from '../support/mock-provider';
import { clientStderrLines, findPythonClient, REPO_ROOT, runPython, type PythonRun } from '../support/python-client';
import { readTapLog, tapped, tapSchemaProblems } from '../support/tap-log';
import { TempHome } from '../support/temp-home';

const MODERN = '2026-07-28';
const touch = (name: string, callId: string) => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command: ['touch', name] } });
const SCENARIOS = join(REPO_ROOT, 'test', 'e2e', 'python', 'mcp_client_scenarios.py');
const EXAMPLE = join(REPO_ROOT, 'examples', 'python-client.py');

/** The environment of a Python run: ours, without settings that would change how Python warns. */
function pythonEnv(home: string): Record<string, string | undefined> {
  return { ...process.env, PYTHONWARNINGS: undefined, PYTHONPATH: undefined, AGENTWIRE_LOG: undefined, RUST_LOG: undefined, CODEX_HOME: home };
}

/**
 * MCP 2026-07-28 (MCP-2026.md §9) with the official Python client, `mcp` 2.3.0 in its default
 * mode="auto": it probes `server/discover` on the session's own pipe, then answers approvals
 * (input_required, §5) through its elicitation callback and retries the call. The client runs in
 * the virtual environment .ci/run makes; without it these tests skip with the reason.
 */
describe('MCP 2026-07-28 with the Python client mcp 2.3.0', function () {
  this.timeout(60_000);
  let python = '';
  let mock: MockProvider;
  let home: TempHome;
  let work: string;

  async function setUp() {
    mock = await MockProvider.start();
    home = new TempHome({ config: mockConfig(mock.url, { approvalPolicy: 'untrusted', sandboxMode: 'danger-full-access' }) });
    work = mkdtempSync(join(tmpdir(), 'agentwire-work-'));
  }

  /** The tap log of the current setup, beside (not inside) its work folder. */
  const tapLog = () => `${work}.tap.log`;

  async function tearDown() {
    await mock?.close();
    home?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
    if (work) rmSync(tapLog(), { force: true });
  }

  before(function () {
    const found = findPythonClient();
    if ('reason' in found) {
      console.log(`      skipped: ${found.reason}`);
      this.skip();
    }
    python = found.python;
  });

  for (const mode of ['auto', MODERN])
    describe(`mode="${mode}": list tools, approve, decline, codex-reply (one client session)`, () => {
      let run: PythonRun;
      let out: Record<string, any>;

      // One client session runs every scenario in order; the tests below check its parts.
      before(async () => {
        await setUp();
        mock.enqueue(
          touch('approved.txt', 'call1'),
          { kind: 'text', text: 'made it' },
          touch('declined.txt', 'call2'),
          { kind: 'text', text: 'did not run it' },
          { kind: 'text', text: 'second answer' },
        );
        // The server runs behind the stdio tap, so every line it writes is checked against the schema.
        const server = tapped(tapLog(), process.execPath, [SERVER_ENTRY, 'mcp']);
        run = await runPython(python, [SCENARIOS, mode, work, server.command, ...server.args], { cwd: work, env: pythonEnv(home.path) });
        try {
          out = JSON.parse(run.stdout);
        } catch {
          throw new Error(`the Python client printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
        }
        expect(out.error, 'the Python client failed').to.equal(undefined);
        expect(run.code).to.equal(0);
      });
      after(tearDown);

      it(
        mode === 'auto'
          ? 'probes server/discover, settles on 2026-07-28 and lists codex and codex-reply'
          : 'speaks 2026-07-28 from its first request (no probe) and lists codex and codex-reply',
        () => {
          expect(out.protocolVersion).to.equal(MODERN);
          expect(out.discover.supportedVersions).to.include(MODERN);
          const first = readTapLog(tapLog()).sent[0];
          expect(first.method).to.equal(mode === 'auto' ? 'server/discover' : 'tools/list');
          expect(first.params._meta['io.modelcontextprotocol/protocolVersion']).to.equal(MODERN);
          expect(out.tools).to.include.members(['codex', 'codex-reply']);
        },
      );

      it('approves a shell command through the elicitation callback: it ran, and the final text comes back', () => {
        expect(out.approvedFileExists, 'approved.txt on disk').to.equal(true);
        expect(out.approved.isError ?? false).to.equal(false);
        expect(out.approved.content[0].text).to.equal('made it');
        expect(out.approved.structuredContent.sessionId).to.match(/^[0-9a-f-]{36}$/);
        const asked = out.elicitations[0];
        expect(asked.mode ?? 'form').to.equal('form');
        expect(asked.message).to.contain('touch approved.txt').and.to.contain(work);
        expect(asked.requestedSchema.properties.decision.oneOf.map((o: { const: string }) => o.const)).to.include.members(['approved', 'approved_for_session', 'denied', 'abort']);
      });

      it('declines one: it did not run, and the turn went on', async () => {
        expect(out.elicitations).to.have.length(2);
        expect(out.elicitations[1].message).to.contain('touch declined.txt');
        expect(out.declinedFileExists, 'declined.txt on disk').to.equal(false);
        expect(out.declined.content[0].text).to.equal('did not run it');
        const requests = await mock.waitForRequests(4);
        const tool = requests[3].body.messages.filter((m: { role: string }) => m.role === 'tool').pop();
        expect(tool.content).to.equal('exec command rejected by user');
      });

      it('continues the first session with codex-reply', () => {
        expect(out.reply.isError ?? false).to.equal(false);
        expect(out.reply.content[0].text).to.equal('second answer');
        const history = JSON.stringify(mock.requests[mock.requests.length - 1].body);
        expect(history).to.contain('make approved.txt').and.to.contain('made it').and.to.contain('and then?');
      });

      it('every message the server wrote is valid under the official 2026-07-28 schema', () => {
        const log = readTapLog(tapLog());
        expect(log.received.length).to.be.greaterThan(5);
        expect(tapSchemaProblems(log)).to.deep.equal([]);
      });

      it('the client warns about nothing and gets no notification it did not ask for', () => {
        expect(out.warnings).to.deep.equal([]);
        expect(out.droppedNotifications).to.deep.equal([]);
        expect(clientStderrLines(run.stderr)).to.deep.equal([]);
      });
    });

  describe('the example', () => {
    beforeEach(setUp);
    afterEach(tearDown);

    it("the newcomer's example (examples/python-client.py) runs codex with an approved command and prints the final text", async () => {
      mock.enqueue(touch('example.txt', 'call1'), { kind: 'text', text: 'example.txt is there' });
      const run = await runPython(python, [EXAMPLE, 'make example.txt', process.execPath, SERVER_ENTRY, 'mcp'], { cwd: work, env: pythonEnv(home.path), input: 'y\n' });
      expect(run.code, run.stderr).to.equal(0);
      expect(existsSync(join(work, 'example.txt')), 'example.txt on disk').to.equal(true);
      // stdout: the era, the approval question (input()'s prompt, so the answer text follows on its
      // line), the final text, the sessionId.
      expect(run.stdout).to.match(new RegExp(`^protocol: ${MODERN}\n`));
      expect(run.stdout).to.contain('touch example.txt').and.to.contain('[y/N] example.txt is there\n');
      expect(run.stdout).to.match(/\nsessionId: [0-9a-f-]{36} {2}\(continue with the codex-reply tool\)\n$/);
      expect(clientStderrLines(run.stderr), 'stderr').to.deep.equal([]);
      expect(readFileSync(EXAMPLE, 'utf8')).to.contain('mode="auto"');
    });
  });
});
