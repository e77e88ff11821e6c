/** One file of a patch, as events and approval requests show it (WIRE.md §7, FileChange map). */
export type FileChange = { add: { content: string } } | { delete: { content: string } } | { update: { unified_diff: string; move_path: string | null } };
