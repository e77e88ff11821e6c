/**
 * agentwire's wire protocol, declared once: every method it serves and sends (methods.ts), the
 * classes of their params, results and events, and the value lists. Imports nothing from the
 * rest of src/ (no file of src/protocol/ does: see `foundation-imports-only-foundation` in
 * .dependency-cruiser.cjs, which `npm run check:deps` enforces), so the schema generator and the
 * typed client can load it alone.
 */
export * from './approvals';
export * from './codex-params';
export * from './codex-results';
export * from './event-types';
export * from './events';
export * from './file-change';
export * from './input-items';
export * from './items';
export * from './mcp';
export * from './mcp-2026';
export * from './methods';
export * from './resources';
export * from './schema-meta';
export * from './spec';
export * from './tasks';
export * from './values';
