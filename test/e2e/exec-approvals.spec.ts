import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorReply } from '../support/mcp-client';
import { APPROVAL_PLUGIN_VARIANTS, installExecApprovalCopy } from '../support/approval-plugin-copy';
import { EngineFixture } from '../support/engine-home';
import { eventually, pidsWithArgument } from '../exec/helpers';

/**
 * The approval flows of WIRE.md §8.1 and APPROVAL.md, through the conversation API: once with the
 * built-in exec approval plugin, once with a copy of it that a third party could have written
 * (test/fixtures/exec-approval-plugin.js) replacing it.
 */
for (const variant of APPROVAL_PLUGIN_VARIANTS)
  describe(`shell commands and their approvals (conversations${variant.title})`, () => {
    let f: EngineFixture;
    afterEach(async () => f.close());

    async function start(options: Parameters<typeof EngineFixture.start>[0] = {}) {
      f = await EngineFixture.start(variant.replaced ? { ...options, setupHome: installExecApprovalCopy } : options);
      return f;
    }

    if (variant.replaced) {
      it('the replacement asks the approvals, and the built-in is not loaded', async () => {
        await start();
        f.mock.enqueue(touch('via-copy.txt'), { kind: 'text', text: 'done' });
        f.client.onRequest('execCommandApproval', () => ({ decision: 'approved' }));
        const id = await f.listenedConversation();
        await f.send(id, 'make a file');
        await f.event(id, 'task_complete');
        expect(existsSync(join(f.work, 'via-copy.txt'))).to.equal(true);
        expect((await f.client.request('execApprovalCopy/asked')).result).to.deep.equal({ asked: 1 });
      });
    }

    const touch = (name: string) => ({ kind: 'tool_call' as const, name: 'shell', callId: 'call1', arguments: { command: ['touch', name] } });

    it('seed: untrusted asks, the approved command runs (on disk), the model is sampled again', async () => {
      await start();
      f.mock.enqueue(touch('made.txt'), { kind: 'text', text: 'done' });
      const approvals: unknown[] = [];
      f.client.onRequest('execCommandApproval', (params) => {
        approvals.push(params);
        return { decision: 'approved' };
      });
      const id = await f.listenedConversation();
      await f.send(id, 'make a file');
      const done = await f.event(id, 'task_complete');
      expect(done.params.msg.last_agent_message).to.equal('done');
      expect(existsSync(join(f.work, 'made.txt'))).to.equal(true);
      expect(approvals).to.deep.equal([{ conversation_id: id, call_id: 'call1', command: ['touch', 'made.txt'], cwd: f.work }]);
      const types = f.events(id).map((e) => e.msg.type);
      expect(types).to.include.members(['exec_approval_request', 'exec_command_begin', 'exec_command_end']);
      expect(types.indexOf('exec_approval_request')).to.be.lessThan(types.indexOf('exec_command_begin'));
      const end = f.events(id).find((e) => e.msg.type === 'exec_command_end')!;
      expect(end.msg.exit_code).to.equal(0);
      const [, second] = await f.mock.waitForRequests(2);
      const toolMessage = second.body.messages.find((m: { role: string }) => m.role === 'tool');
      expect(JSON.parse(toolMessage.content)).to.have.nested.property('metadata.exit_code', 0);
    });

    it('a denied command never runs and the model hears so', async () => {
      await start();
      f.mock.enqueue(touch('never.txt'), { kind: 'text', text: 'ok, not running it' });
      f.client.onRequest('execCommandApproval', () => ({ decision: 'denied' }));
      const id = await f.listenedConversation();
      await f.send(id, 'try');
      await f.event(id, 'task_complete');
      expect(existsSync(join(f.work, 'never.txt'))).to.equal(false);
      const [, second] = await f.mock.waitForRequests(2);
      expect(second.body.messages.find((m: { role: string }) => m.role === 'tool').content).to.equal('exec command rejected by user');
      expect(f.events(id).some((e) => e.msg.type === 'exec_command_begin')).to.equal(false);
    });

    it('abort ends the turn with turn_aborted and no further model request', async () => {
      await start();
      f.mock.enqueue(touch('aborted.txt'));
      f.client.onRequest('execCommandApproval', () => ({ decision: 'abort' }));
      const id = await f.listenedConversation();
      await f.send(id, 'try');
      expect((await f.event(id, 'turn_aborted')).params.msg.reason).to.equal('interrupted');
      expect(existsSync(join(f.work, 'aborted.txt'))).to.equal(false);
      expect(f.mock.requests).to.have.length(1);
    });

    it('approved_for_session runs the identical command again without asking', async () => {
      await start();
      f.mock.enqueue(touch('a.txt'), { ...touch('a.txt'), callId: 'call2' }, { ...touch('b.txt'), callId: 'call3' }, { kind: 'text', text: 'fin' });
      let asked = 0;
      f.client.onRequest('execCommandApproval', () => (asked++, { decision: 'approved_for_session' }));
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(asked).to.equal(2);
    });

    for (const [name, answer] of [
      ['an error reply', new ErrorReply(-32000, 'client exploded')],
      ['a reply without a decision', {}],
      ['an MCP decline', { action: 'decline' }],
    ] as const) {
      it(`${name} counts as denied and the turn goes on`, async () => {
        await start();
        f.mock.enqueue(touch('x.txt'), { kind: 'text', text: 'went on' });
        f.client.onRequest('execCommandApproval', () => answer);
        const id = await f.listenedConversation();
        await f.send(id, 'try');
        expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('went on');
        expect(existsSync(join(f.work, 'x.txt'))).to.equal(false);
      });
    }

    it('an MCP accept with a decision in content is honoured', async () => {
      await start();
      f.mock.enqueue(touch('mcp.txt'), { kind: 'text', text: 'ok' });
      f.client.onRequest('execCommandApproval', () => ({ action: 'accept', content: { decision: 'approved' } }));
      const id = await f.listenedConversation();
      await f.send(id, 'try');
      await f.event(id, 'task_complete');
      expect(existsSync(join(f.work, 'mcp.txt'))).to.equal(true);
    });

    it('seed (sendUserTurn): untrusted asks for python3, then a turn with never runs it without asking', async () => {
      await start();
      const py = { kind: 'tool_call' as const, name: 'shell', arguments: { command: ['node', '-e', 'console.log(42)'] } };
      f.mock.enqueue({ ...py, callId: 'c1' }, { kind: 'text', text: 'first' }, { ...py, callId: 'c2' }, { kind: 'text', text: 'second' });
      let asked = 0;
      f.client.onRequest('execCommandApproval', () => (asked++, { decision: 'approved' }));
      const id = await f.listenedConversation();
      await f.send(id, 'run it');
      await f.event(id, 'task_complete');
      expect(asked).to.equal(1);
      await f.client.request('sendUserTurn', {
        conversationId: id,
        items: [{ type: 'text', data: { text: 'again' } }],
        cwd: f.work,
        approvalPolicy: 'never',
        sandboxPolicy: { mode: 'danger-full-access' },
        model: 'mock-model',
        effort: 'medium',
        summary: 'auto',
      });
      await f.event(id, 'task_complete', 2);
      expect(asked).to.equal(1);
      const outputs = f
        .events(id)
        .filter((e) => e.msg.type === 'exec_command_end')
        .map((e) => e.msg.stdout);
      expect(outputs).to.deep.equal(['42\n', '42\n']);
    });

    it('known-safe commands run under untrusted without asking', async () => {
      await start();
      f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 'c', arguments: { command: ['bash', '-lc', 'echo hi && pwd'] } }, { kind: 'text', text: 'ok' });
      let asked = 0;
      f.client.onRequest('execCommandApproval', () => (asked++, { decision: 'denied' }));
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(asked).to.equal(0);
      const end = f.events(id).find((e) => e.msg.type === 'exec_command_end')!;
      expect(end.msg.stdout).to.equal(`hi\n${f.work}\n`);
      const delta = f.events(id).find((e) => e.msg.type === 'exec_command_output_delta')!;
      expect(delta.msg.chunk).to.be.an('array');
      expect(Buffer.from(delta.msg.chunk).toString()).to.contain('hi');
    });

    it('after an abort the next request answers the aborted call, and ids count the interrupt', async () => {
      await start();
      f.mock.enqueue(touch('x.txt'), { kind: 'text', text: 'next turn' });
      f.client.onRequest('execCommandApproval', () => ({ decision: 'abort' }));
      const id = await f.listenedConversation();
      await f.send(id, 'first');
      await f.event(id, 'turn_aborted');
      await f.client.request('interruptConversation', { conversationId: id });
      await f.send(id, 'second');
      const done = await f.event(id, 'task_complete');
      // "0" the first turn, "1" the abort answer, "2" the idle interrupt, "3" this turn.
      expect(done.params.id).to.equal('3');
      const [, second] = await f.mock.waitForRequests(2);
      const tool = second.body.messages.find((m: { role: string }) => m.role === 'tool');
      expect(tool).to.deep.equal({ role: 'tool', tool_call_id: 'call1', content: 'aborted' });
    });

    it('interrupting during a pending approval aborts the turn; the command never runs', async () => {
      await start();
      f.mock.enqueue(touch('pending.txt'));
      const id = await f.listenedConversation();
      f.client.onRequest('execCommandApproval', () => new Promise(() => undefined));
      await f.send(id, 'go');
      await f.event(id, 'exec_approval_request');
      expect((await f.client.request('interruptConversation', { conversationId: id })).result).to.deep.equal({ abortReason: 'interrupted' });
      await f.event(id, 'turn_aborted');
      expect(existsSync(join(f.work, 'pending.txt'))).to.equal(false);
    });

    it('an approval timeout from config counts as denied', async () => {
      await start({ top: 'approval_timeout_ms = 200' });
      f.mock.enqueue(touch('late.txt'), { kind: 'text', text: 'timed out' });
      f.client.onRequest('execCommandApproval', () => new Promise(() => undefined));
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      expect((await f.event(id, 'task_complete')).params.msg.last_agent_message).to.equal('timed out');
      expect(existsSync(join(f.work, 'late.txt'))).to.equal(false);
    });

    it('interrupting a running sleep kills its process group', async () => {
      await start({ approvalPolicy: 'never' });
      // Found by a sleep time of their own: pids printed inside a pid namespace mean nothing here.
      const t = `30.${process.pid}1`;
      f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 's', arguments: { command: ['bash', '-c', `sleep ${t} & sleep ${t} & echo ready; wait`], timeout_ms: 60000 } });
      const id = await f.listenedConversation();
      await f.send(id, 'sleep');
      await f.client.waitFor((m) => m.method === 'codex/event/exec_command_output_delta' && m.params.conversationId === id);
      expect(await eventually(() => pidsWithArgument(t).length === 2, 10_000)).to.equal(true);
      await f.client.request('interruptConversation', { conversationId: id });
      await f.event(id, 'turn_aborted');
      expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `still alive: ${pidsWithArgument(t)}`);
    });

    it('a background process that let go of the pipes does not outlive its command', async () => {
      await start({ approvalPolicy: 'never' });
      const t = `30.${process.pid}2`;
      const marker = join(f.work, 'bg.started');
      f.mock.enqueue(
        { kind: 'tool_call', name: 'shell', callId: 'bg', arguments: { command: ['bash', '-c', `sleep ${t} >/dev/null 2>&1 & touch ${marker}`] } },
        { kind: 'text', text: 'started it' },
      );
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      expect(existsSync(marker)).to.equal(true);
      expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `still alive: ${pidsWithArgument(t)}`);
    });

    it('a command that outlives its timeout is killed and reported', async () => {
      await start({ approvalPolicy: 'never' });
      f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 't', arguments: { command: ['sleep', '5'], timeout_ms: 300 } }, { kind: 'text', text: 'slow' });
      const id = await f.listenedConversation();
      await f.send(id, 'go');
      await f.event(id, 'task_complete');
      const end = f.events(id).find((e) => e.msg.type === 'exec_command_end')!;
      expect(end.msg.exit_code).to.equal(-1);
      const [, second] = await f.mock.waitForRequests(2);
      expect(second.body.messages.find((m: { role: string }) => m.role === 'tool').content).to.contain('timed out');
    });
  });
