import { isRecord } from '../protocol/is-record';

/** A `-c key=value` argument that cannot be used. */
export class OverrideSyntaxError extends Error {}

export type ConfigTree = Record<string, unknown>;

/**
 * Parses `-c key=value` as codex does: `key` is a dotted path and `value` is parsed as JSON
 * (`true`, `3`, `["a"]`, `{"x":1}`, `"quoted"`); text that is not JSON is taken as a literal string.
 */
export function parseOverride(arg: string): { path: string[]; value: unknown } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new OverrideSyntaxError(`invalid override ${JSON.stringify(arg)}: expected key=value`);
  const key = arg.slice(0, eq).trim();
  const path = key.split('.');
  if (path.some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype')) {
    throw new OverrideSyntaxError(`invalid override key ${JSON.stringify(key)}`);
  }
  const raw = arg.slice(eq + 1).trim();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { path, value };
}

/** Sets `value` at the dotted `path` of `tree`, making tables on the way and replacing non-tables. */
export function setPath(tree: ConfigTree, path: string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (!isRecord(next)) node[part] = {};
    node = node[part] as ConfigTree;
  }
  node[path[path.length - 1]] = value;
}

/** Applies `key → value` overrides (dotted keys) to a copy of `tree`. */
export function applyOverrides(tree: ConfigTree, overrides: Record<string, unknown>): ConfigTree {
  const out = structuredClone(tree);
  for (const [key, value] of Object.entries(overrides)) setPath(out, key.split('.'), value);
  return out;
}
