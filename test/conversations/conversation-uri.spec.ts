import { expect } from 'chai';
import { conversationUri, parseConversationUri } from '../../src/protocol/resources';
import { conversationDiff, transcriptMarkdown } from '../../src/conversations/conversation-transcript';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('conversation resource URIs', () => {
  it('parses the four views and the since query', () => {
    expect(parseConversationUri(conversationUri(ID))).to.deep.equal({ conversationId: ID, view: 'summary', since: 0 });
    expect(parseConversationUri(`${conversationUri(ID)}/transcript`)).to.deep.include({ view: 'transcript' });
    expect(parseConversationUri(conversationUri(ID, 'diff'))).to.deep.include({ view: 'diff' });
    expect(parseConversationUri(`${conversationUri(ID)}/events?since=17`)).to.deep.equal({ conversationId: ID, view: 'events', since: 17 });
    expect(parseConversationUri(`${conversationUri(ID)}/events`)).to.deep.include({ since: 0 });
  });

  for (const bad of [
    'agentwire://conversations/',
    'agentwire://conversations/xyz',
    `agentwire://conversations/${ID}/summary`,
    `agentwire://conversations/${ID}/other`,
    `agentwire://conversations/${ID}/diff/more`,
    `agentwire://conversations/${ID}/diff?since=1`,
    `agentwire://conversations/${ID}/events?since=-1`,
    `agentwire://conversations/${ID}/events?from=1`,
    `agentwire://conversations/${ID}/events?since=1e3`,
    'file:///etc/passwd',
  ]) {
    it(`says what is wrong with ${bad}`, () => {
      expect(parseConversationUri(bad)).to.have.property('problem').that.is.a('string');
    });
  }
});

describe('conversation transcript and diff', () => {
  it('renders messages, commands with exit codes and patches, without context items; fences outlast backticks', () => {
    const md = transcriptMarkdown(
      ID,
      [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n</environment_context>' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', name: 'shell', call_id: 'c1', arguments: JSON.stringify({ command: ['bash', '-lc', 'echo ```'] }) },
        { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ output: '```\n', metadata: { exit_code: 3, duration_seconds: 0 } }) },
        { type: 'function_call', name: 'shell', call_id: 'p1', arguments: JSON.stringify({ command: ['apply_patch', '*** Begin Patch\n*** Add File: a\n+x\n*** End Patch'] }) },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] },
      ] as never,
      [1],
    );
    expect(md).not.to.contain('environment_context');
    expect(md).to.contain('## Turn 1').and.to.contain('**User:**\n\nhi').and.to.contain('**Exit code 3**').and.to.contain('````sh\necho ```\n````');
    expect(md).to.contain('```diff\n*** Begin Patch').and.to.contain('**Agent:**\n\ndone');
  });

  it('takes the last turn_diff of each turn, in turn order', () => {
    const diff = conversationDiff([
      { seq: 1, id: '0', msg: { type: 'turn_diff', unified_diff: 'first-a\n' } },
      { seq: 2, id: '0', msg: { type: 'turn_diff', unified_diff: 'first-b\n' } },
      { seq: 3, id: '1', msg: { type: 'task_complete', last_agent_message: null } },
      { seq: 4, id: '2', msg: { type: 'turn_diff', unified_diff: 'second' } },
    ]);
    expect(diff).to.equal('first-b\nsecond\n');
  });
});
