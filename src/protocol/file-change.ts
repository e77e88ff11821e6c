/** One file of a patch, as events and approval requests show it (WIRE.md §7, FileChange map). */
export type FileChange = { add: { content: string } } | { delete: { content: string } } | { update: { unified_diff: string; move_path: string | null } };

/** JSON Schema of a map of path → FileChange (the type above, stated for the generated schema). */
export const FILE_CHANGES_SCHEMA = {
  additionalProperties: {
    oneOf: [
      { type: 'object', properties: { add: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] } }, required: ['add'] },
      { type: 'object', properties: { delete: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] } }, required: ['delete'] },
      {
        type: 'object',
        properties: {
          update: {
            type: 'object',
            properties: { unified_diff: { type: 'string' }, move_path: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
            required: ['unified_diff', 'move_path'],
          },
        },
        required: ['update'],
      },
    ],
  },
};
