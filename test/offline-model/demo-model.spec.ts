import { expect } from 'chai';
import type { ModelEvent } from '../../src/model/model-events';
import { demoModelStream } from '../../src/offline-model/demo-model';
import { assistantText, userText, type ResponseItem } from '../../src/protocol/items';

/** One model step over `input`: the text it says and the tool calls it makes. */
async function step(input: ResponseItem[]): Promise<{ text: string; calls: Array<{ name: string; args: { command: string[] } }> }> {
  const events: ModelEvent[] = [];
  const req = { model: 'demo', instructions: '', input, tools: [], conversationId: 'c' };
  for await (const ev of demoModelStream(req, new AbortController().signal)) events.push(ev);
  let text = '';
  const calls: Array<{ name: string; args: { command: string[] } }> = [];
  for (const ev of events) {
    if (ev.type === 'text_delta') text += ev.delta;
    if (ev.type === 'item' && ev.item.type === 'function_call') calls.push({ name: ev.item.name, args: JSON.parse(ev.item.arguments) });
  }
  return { text, calls };
}

const callItem = (id: string): ResponseItem => ({ type: 'function_call', id: null, name: 'shell', arguments: '{}', call_id: id });
const outputItem = (id: string, output: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output });
const ran = (output: string, exitCode: number) => JSON.stringify({ output, metadata: { exit_code: exitCode, duration_seconds: 0 } });

describe('the offline demo model', () => {
  const start = [userText('look around'), assistantText('Let me look.'), callItem('demo_call_1')];

  it('asks to run one command first', async () => {
    const { calls } = await step([userText('look around')]);
    expect(calls.map((c) => c.args.command[0])).to.deep.equal(['bash']);
  });

  it('after a command that ran, reports the listing and proposes NOTES.md with it', async () => {
    const { text, calls } = await step([...start, outputItem('demo_call_1', ran('Linux\nREADME.md\nhello.txt\n', 0))]);
    expect(text).to.contain('The command finished (2 files on Linux)');
    expect(calls).to.have.length(1);
    expect(calls[0].args.command[0]).to.equal('apply_patch');
    expect(calls[0].args.command[1]).to.contain('Files seen by the agentwire demo: 2 files on Linux.');
  });

  it('after a declined command, says so, proposes no patch and claims nothing it did not do', async () => {
    const { text, calls } = await step([...start, outputItem('demo_call_1', 'exec command rejected by user')]);
    expect(calls).to.deep.equal([]);
    expect(text).to.contain('did not run (exec command rejected by user)');
    expect(text).not.to.match(/finished|Files seen|I ran/);
  });

  it('after a failed command, gives its exit code and proposes no patch', async () => {
    const { text, calls } = await step([...start, outputItem('demo_call_1', ran('boom', 2))]);
    expect(calls).to.deep.equal([]);
    expect(text).to.contain('exit code 2').and.not.to.contain('finished');
  });

  it('sums up after the patch: applied or declined', async () => {
    const history = [...start, outputItem('demo_call_1', ran('Linux\nREADME.md\n', 0)), assistantText('I will add NOTES.md.'), callItem('demo_call_2')];
    expect((await step([...history, outputItem('demo_call_2', ran('Success. Updated the following files:\nA NOTES.md\n', 0))])).text).to.contain('I ran one command');
    const failed = (await step([...history, outputItem('demo_call_2', ran('error: NOTES.md already exists', 1))])).text;
    expect(failed).to.contain('not applied (error: NOTES.md already exists)');
    const declined = (await step([...history, outputItem('demo_call_2', 'patch rejected by user')])).text;
    expect(declined).to.contain('The patch was not applied (patch rejected by user)').and.not.to.contain('I ran one command');
  });
});
