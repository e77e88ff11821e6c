import { join, resolve } from 'node:path';
import { os } from '../runtime/lazy-os';

/** The home folder shared with codex: `$CODEX_HOME`, default `~/.codex` (AUTH.md §1). */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME?.trim();
  // HOME is what os.homedir() reads first; asking it only without HOME keeps node:os out of start-up.
  return fromEnv ? resolve(fromEnv) : join(env.HOME ?? os().homedir(), '.codex');
}
