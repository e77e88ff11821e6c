// An example agentwire plugin, written in plain JavaScript (CommonJS).
//
// Load it by naming it in config.toml (paths are relative to the home folder, $CODEX_HOME):
//
//   plugins = ["/path/to/agentwire/examples/word-count-plugin.js"]
//
// It adds an MCP tool, `word_count`, and a JSON-RPC method, `examples/wordCount`.
// See docs/PLUGINS.md for the whole plugin interface.

'use strict';

function countWords(text) {
  const words = text.split(/\s+/).filter(Boolean);
  return { words: words.length, characters: [...text].length, lines: text === '' ? 0 : text.split('\n').length };
}

/** @type {import('agentwire').AgentwirePlugin} */
const plugin = {
  name: 'example:word-count',
  register(ctx) {
    let calls = 0;

    ctx.tool({
      name: 'word_count',
      title: 'Word count',
      description: 'Counts the words, characters and lines of a text.',
      inputSchema: {
        type: 'object',
        properties: { text: { type: 'string', description: 'The text to count.' } },
        required: ['text'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: { words: { type: 'integer' }, characters: { type: 'integer' }, lines: { type: 'integer' } },
        required: ['words', 'characters', 'lines'],
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      call(args) {
        calls += 1;
        const counts = countWords(args.text);
        return {
          content: [{ type: 'text', text: `${counts.words} words, ${counts.characters} characters, ${counts.lines} lines` }],
          structuredContent: counts,
        };
      },
    });

    // A method outside MCP's namespace; params are checked by hand here (TypeScript plugins can
    // use a params class with class-validator decorators instead, see docs/PLUGINS.md).
    ctx.method('examples/wordCount', (params) => {
      if (!params || typeof params.text !== 'string') {
        throw new ctx.errors.InvalidParamsError('Invalid params: text: must be a string', ['text: must be a string']);
      }
      return countWords(params.text);
    });

    ctx.onClose(() => ctx.log.debug({ calls }, 'word-count plugin closing'));
  },
};

module.exports = plugin;
