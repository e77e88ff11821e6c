import { expect } from 'chai';
import { buildChatBody } from '../../src/model/chat-request';
import { buildResponsesBody } from '../../src/model/responses-request';
import type { ResponseItem } from '../../src/protocol/items';
import { assistantText, userText } from '../../src/protocol/items';
import { ENV_CONTEXT, SHELL_TOOL, simpleRequest, VIEW_IMAGE_TOOL } from './helpers';

// Shapes below follow the request bodies codex 0.29 sends (captured by the project's spec work).
const SHELL_ARGS = '{"command":["python3","-c","print(42)"]}';
const SHELL_OUTPUT = '{"output":"42\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}';

/** The history of the transcript's "tool turn, request 2". */
function toolTurnHistory(): ResponseItem[] {
  return [
    userText(ENV_CONTEXT),
    userText('run it'),
    { type: 'function_call', id: null, name: 'shell', arguments: SHELL_ARGS, call_id: 'call1' },
    { type: 'function_call_output', call_id: 'call1', output: SHELL_OUTPUT },
  ];
}

describe('buildChatBody', () => {
  it('builds the plain-turn body: system prompt, environment context, user text, tools', () => {
    const body = buildChatBody(simpleRequest({ tools: [SHELL_TOOL, VIEW_IMAGE_TOOL] }));
    expect(Object.keys(body).sort()).to.deep.equal(['messages', 'model', 'stream', 'tools']);
    expect(body.model).to.equal('mock-model');
    expect(body.stream).to.equal(true);
    expect(body.messages).to.deep.equal([
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: ENV_CONTEXT },
      { role: 'user', content: 'say hi' },
    ]);
    expect(body.tools).to.deep.equal([
      {
        type: 'function',
        function: {
          name: 'shell',
          description: 'Runs a shell command and returns its output',
          strict: false,
          parameters: SHELL_TOOL.parameters,
        },
      },
      {
        type: 'function',
        function: {
          name: 'view_image',
          description: 'Attach a local image (by filesystem path) to the conversation context for this turn.',
          strict: false,
          parameters: VIEW_IMAGE_TOOL.parameters,
        },
      },
    ]);
  });

  it('sends a tool call as an assistant tool_calls message and its result as a tool message', () => {
    const body = buildChatBody(simpleRequest({ input: toolTurnHistory() }));
    expect(body.messages.slice(1)).to.deep.equal([
      { role: 'user', content: ENV_CONTEXT },
      { role: 'user', content: 'run it' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call1', type: 'function', function: { name: 'shell', arguments: SHELL_ARGS } }],
      },
      { role: 'tool', tool_call_id: 'call1', content: SHELL_OUTPUT },
    ]);
  });

  it('merges consecutive calls, drops reasoning and images, and joins text parts', () => {
    const body = buildChatBody(
      simpleRequest({
        input: [
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'look ' },
              { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
              { type: 'input_text', text: 'here' },
            ],
          },
          { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }] },
          assistantText('Running two things.'),
          { type: 'function_call', name: 'shell', arguments: '{"command":["a"]}', call_id: 'c1' },
          { type: 'function_call', name: 'shell', arguments: '{"command":["b"]}', call_id: 'c2' },
          { type: 'function_call_output', call_id: 'c1', output: 'A' },
          { type: 'function_call_output', call_id: 'c2', output: 'exec command rejected by user' },
          { type: 'function_call', name: 'shell', arguments: '{"command":["c"]}', call_id: 'c3' },
        ],
      }),
    );
    expect(body.messages.slice(1)).to.deep.equal([
      { role: 'user', content: 'look here' },
      { role: 'assistant', content: 'Running two things.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'shell', arguments: '{"command":["a"]}' } },
          { id: 'c2', type: 'function', function: { name: 'shell', arguments: '{"command":["b"]}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'tool', tool_call_id: 'c2', content: 'exec command rejected by user' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c3', type: 'function', function: { name: 'shell', arguments: '{"command":["c"]}' } }],
      },
    ]);
  });

  it('never carries Responses-only settings', () => {
    const body = buildChatBody(simpleRequest({ reasoning: { effort: 'high', summary: 'auto' }, verbosity: 'low', store: false })) as unknown as Record<string, unknown>;
    expect(Object.keys(body).sort()).to.deep.equal(['messages', 'model', 'stream', 'tools']);
  });
});

describe('buildResponsesBody', () => {
  it('carries the keys 0.29 sends, with storage on by default', () => {
    const req = simpleRequest({ input: toolTurnHistory() });
    const body = buildResponsesBody(req);
    expect(body).to.deep.equal({
      model: 'mock-model',
      instructions: 'You are a test.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: ENV_CONTEXT }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run it' }] },
        { type: 'function_call', name: 'shell', arguments: SHELL_ARGS, call_id: 'call1' },
        { type: 'function_call_output', call_id: 'call1', output: SHELL_OUTPUT },
      ],
      tools: [
        {
          type: 'function',
          name: 'shell',
          description: 'Runs a shell command and returns its output',
          strict: false,
          parameters: SHELL_TOOL.parameters,
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: null,
      store: true,
      stream: true,
      include: [],
      prompt_cache_key: req.conversationId,
    });
  });

  it('asks for encrypted reasoning without storage, and passes reasoning and verbosity', () => {
    const body = buildResponsesBody(simpleRequest({ store: false, reasoning: { effort: 'medium', summary: 'auto' }, verbosity: 'low' }));
    expect(body.store).to.equal(false);
    expect(body.include).to.deep.equal(['reasoning.encrypted_content']);
    expect(body.reasoning).to.deep.equal({ effort: 'medium', summary: 'auto' });
    expect(body.text).to.deep.equal({ verbosity: 'low' });
  });

  it('sends reasoning items back with summary and encrypted content only, and no item ids', () => {
    const body = buildResponsesBody(
      simpleRequest({
        input: [
          {
            type: 'reasoning',
            id: 'rs_1',
            summary: [{ type: 'summary_text', text: 'plan' }],
            content: [{ type: 'reasoning_text', text: 'raw thoughts' }],
            encrypted_content: 'gAAAA',
          },
          { ...assistantText('hi'), id: 'msg_1' },
        ],
      }),
    );
    expect(body.input).to.deep.equal([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'gAAAA' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] },
    ]);
    expect(body).not.to.have.property('text');
  });
});
