import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineFixture } from '../support/engine-home';

describe('reasoning events and config switches (WIRE.md §7, CONFIG.md §2)', () => {
  let f: EngineFixture;
  afterEach(async () => f.close());

  it('chat: raw reasoning only with show_raw_agent_reasoning, before agent_message', async () => {
    f = await EngineFixture.start({ top: 'show_raw_agent_reasoning = true' });
    f.mock.enqueue({ kind: 'text', text: 'Hello', reasoning: 'Let me think' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    const types = f.events(id).map((e) => e.msg.type);
    expect(types).to.include('agent_reasoning_raw_content_delta');
    expect(types.indexOf('agent_reasoning_raw_content')).to.be.greaterThan(-1).and.lessThan(types.indexOf('agent_message'));
    expect(f.events(id).find((e) => e.msg.type === 'agent_reasoning_raw_content')!.msg.text).to.equal('Let me think');
  });

  it('chat: no raw reasoning events by default, but message deltas still stream', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue({ kind: 'text', text: 'Hello you', reasoning: 'hmm' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    const types = f.events(id).map((e) => e.msg.type);
    expect(types.filter((t) => t.startsWith('agent_reasoning'))).to.deep.equal([]);
    expect(types).to.include('agent_message_delta');
  });

  it('responses: reasoning summaries as agent_reasoning_delta and agent_reasoning', async () => {
    f = await EngineFixture.start({ wireApi: 'responses' });
    f.mock.enqueue({ kind: 'text', text: 'Answer', reasoning: 'Thinking hard' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    expect(f.events(id).some((e) => e.msg.type === 'agent_reasoning_delta')).to.equal(true);
    expect(f.events(id).find((e) => e.msg.type === 'agent_reasoning')!.msg.text).to.equal('Thinking hard');
  });

  it('hide_agent_reasoning suppresses every agent_reasoning event', async () => {
    f = await EngineFixture.start({ wireApi: 'responses', top: 'hide_agent_reasoning = true\nshow_raw_agent_reasoning = true' });
    f.mock.enqueue({ kind: 'text', text: 'Answer', reasoning: 'Secret thoughts' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    expect(f.events(id).filter((e) => e.msg.type.startsWith('agent_reasoning'))).to.deep.equal([]);
  });

  it('runs notify at the end of a turn with a JSON argument', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentwire-notify-'));
    const out = join(dir, 'payload.json');
    // The program writes a temp file and renames it, so the watcher below sees one complete file.
    const script = `printf '%s' "$1" > ${out}.tmp && mv ${out}.tmp ${out}`;
    f = await EngineFixture.start({ top: `notify = ["bash", "-c", ${JSON.stringify(script)}, "notify"]` });
    const arrived = new Promise<void>((resolve) => {
      const watcher = watch(dir, () => {
        if (existsSync(out)) {
          watcher.close();
          resolve();
        }
      });
    });
    f.mock.enqueue({ kind: 'text', text: 'notified answer' });
    const id = await f.listenedConversation();
    await f.send(id, 'please notify');
    await f.event(id, 'task_complete');
    await arrived;
    const payload = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    expect(payload).to.deep.equal({ type: 'agent-turn-complete', 'turn-id': '0', 'input-messages': ['please notify'], 'last-assistant-message': 'notified answer' });
  });

  it('offers update_plan when asked for and reports a plan_update', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue(
      {
        kind: 'tool_call',
        name: 'update_plan',
        callId: 'plan1',
        arguments: {
          explanation: 'two steps',
          plan: [
            { step: 'look', status: 'completed' },
            { step: 'fix', status: 'in_progress' },
          ],
        },
      },
      { kind: 'text', text: 'planned' },
    );
    const id = await f.listenedConversation({ includePlanTool: true });
    await f.send(id, 'plan it');
    await f.event(id, 'task_complete');
    const plan = await f.event(id, 'plan_update');
    expect(plan.params.msg).to.deep.equal({
      type: 'plan_update',
      explanation: 'two steps',
      plan: [
        { step: 'look', status: 'completed' },
        { step: 'fix', status: 'in_progress' },
      ],
    });
    const [first, second] = await f.mock.waitForRequests(2);
    expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).to.deep.equal(['shell', 'update_plan', 'view_image']);
    expect(second.body.messages.find((m: { role: string }) => m.role === 'tool').content).to.equal('Plan updated');
  });

  it('does not offer update_plan unless asked', async () => {
    f = await EngineFixture.start();
    f.mock.enqueue({ kind: 'text', text: 'ok' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    const [first] = await f.mock.waitForRequests(1);
    expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).to.deep.equal(['shell', 'view_image']);
  });

  it('sends the user instructions block from the home AGENTS.md first', async () => {
    f = await EngineFixture.start();
    f.home.write('AGENTS.md', '  be brief  \n');
    f.mock.enqueue({ kind: 'text', text: 'ok' });
    const id = await f.listenedConversation();
    await f.send(id, 'x');
    await f.event(id, 'task_complete');
    const [req] = await f.mock.waitForRequests(1);
    expect(req.body.messages[1]).to.deep.equal({ role: 'user', content: '<user_instructions>\n\nbe brief\n\n</user_instructions>' });
    expect(req.body.messages[2].content).to.match(/^<environment_context>/);
  });
});
