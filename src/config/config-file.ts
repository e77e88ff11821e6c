import { readFileSync, statSync } from 'node:fs';
import { TomlError, parse } from 'smol-toml';
import type { ConfigTree } from './overrides';

/** config.toml could not be read or parsed; the message names the file, the line and the key. */
export class ConfigError extends Error {}

/** Reads `<home>/config.toml`; a missing file is an empty tree (all defaults, CONFIG.md). */
export function readConfigFile(path: string): { tree: ConfigTree; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { tree: {}, text: '' };
    throw new ConfigError(`failed to read ${path}: ${(err as Error).message}`);
  }
  try {
    return { tree: parse(text), text };
  } catch (err) {
    if (err instanceof TomlError) {
      const key = keyOnLine(text, err.line);
      const where = `line ${err.line}, column ${err.column}${key ? `, key \`${key}\`` : ''}`;
      throw new ConfigError(`failed to parse ${path}: ${where}: ${firstLine(err.message)}`);
    }
    throw new ConfigError(`failed to parse ${path}: ${(err as Error).message}`);
  }
}

/**
 * readConfigFile for callers that re-read config.toml for every conversation (CONFIG.md §1): the
 * parse is reused while the file's inode, size and change time stay the same. The tree is shared,
 * so callers must copy it before changing it (applyOverrides does). One per AgentwireConfig.
 */
export class ConfigFileCache {
  private cached?: { path: string; stamp: string; tree: ConfigTree };

  read(path: string): ConfigTree {
    let stamp: string;
    try {
      const st = statSync(path, { bigint: true });
      stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      return readConfigFile(path).tree;
    }
    if (this.cached && this.cached.path === path && this.cached.stamp === stamp) return this.cached.tree;
    const { tree } = readConfigFile(path);
    this.cached = { path, stamp, tree };
    return tree;
  }
}

/** The line (1-based) where a dotted key is assigned, for error messages; 0 when not found. */
export function lineOfKey(text: string, dottedKey: string): number {
  const parts = dottedKey.split('.');
  const leaf = parts[parts.length - 1];
  const table = parts.slice(0, -1).join('.');
  let currentTable = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      currentTable = header[1].replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().replace(/"/g, '');
    const full = currentTable ? `${currentTable}.${key}` : key;
    if (full === dottedKey || (currentTable === table && key === leaf)) return i + 1;
  }
  return 0;
}

function keyOnLine(text: string, line: number): string | undefined {
  const content = text.split('\n')[line - 1]?.trim() ?? '';
  const eq = content.indexOf('=');
  return eq > 0 ? content.slice(0, eq).trim() : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
