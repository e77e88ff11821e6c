import { expect } from 'chai';
import { DuplicateToolError, TOOLS_PAGE_SIZE, ToolRegistry, type ToolDefinition } from '../../src/mcp/tool-registry';
import { InvalidParamsError } from '../../src/router/errors';

const tool = (name: string, inputSchema: Record<string, unknown> = { type: 'object' }): ToolDefinition => ({
  name,
  description: `the ${name} tool`,
  inputSchema,
  call: () => ({ content: [] }),
});

describe('ToolRegistry', () => {
  it('refuses a second tool of one name, naming both owners', () => {
    const registry = new ToolRegistry();
    registry.add(tool('a'), 'p1');
    expect(() => registry.add(tool('a'), 'p2')).to.throw(DuplicateToolError, 'tool a is registered by both p1 and p2');
  });

  it('pages through the tools with an opaque cursor', () => {
    const registry = new ToolRegistry();
    for (let i = 0; i < TOOLS_PAGE_SIZE + 3; i++) registry.add(tool(`t${i}`), 'p');
    const first = registry.list();
    expect(first.tools).to.have.length(TOOLS_PAGE_SIZE);
    const second = registry.list(first.nextCursor);
    expect(second.tools.map((t) => t.name)).to.deep.equal([`t${TOOLS_PAGE_SIZE}`, `t${TOOLS_PAGE_SIZE + 1}`, `t${TOOLS_PAGE_SIZE + 2}`]);
    expect(second).not.to.have.property('nextCursor');
    expect(() => registry.list('garbage')).to.throw(InvalidParamsError);
  });

  it('validates arguments against the input schema, naming fields', () => {
    const registry = new ToolRegistry();
    registry.add(
      tool('codexish', {
        type: 'object',
        required: ['prompt'],
        properties: { prompt: { type: 'string' }, 'approval-policy': { type: 'string', enum: ['never', 'untrusted'] } },
      }),
      'p',
    );
    expect(() => registry.validateArguments('codexish', { prompt: 'x' })).not.to.throw();
    try {
      registry.validateArguments('codexish', { 'approval-policy': 'bogus' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(InvalidParamsError);
      expect((err as InvalidParamsError).errors).to.deep.equal(['prompt: is required', 'approval-policy: must be equal to one of the allowed values: never, untrusted']);
    }
    expect(() => registry.validateArguments('nope', {})).to.throw(InvalidParamsError, 'Unknown tool: nope');
  });
});
