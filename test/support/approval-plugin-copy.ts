import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TempHome } from './temp-home';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Installs test/fixtures/exec-approval-plugin.js in a home folder as a third party's plugin would
 * be: the file under `plugins/`, and `agentwire` as a package of the home folder (a link to this
 * checkout, whose `main` is the public entry point), so its `require('agentwire')` finds the
 * package and nothing else of ours. Returns the config.toml line that loads it.
 */
export function installExecApprovalCopy(home: TempHome): string {
  home.write('plugins/exec-approval-copy.js', readFileSync(join(ROOT, 'test', 'fixtures', 'exec-approval-plugin.js'), 'utf8'));
  home.write('node_modules/.keep', '');
  symlinkSync(ROOT, join(home.path, 'node_modules', 'agentwire'), 'dir');
  return 'plugins = ["./plugins/exec-approval-copy.js"]';
}

/** The two ways the approval specs run: with the built-in exec approval plugin, and with the copy that replaces it. */
export const APPROVAL_PLUGIN_VARIANTS = [
  { title: '', replaced: false },
  { title: ', through a replacement exec approval plugin loaded from outside', replaced: true },
] as const;
