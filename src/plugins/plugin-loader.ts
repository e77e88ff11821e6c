import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AgentwirePlugin } from './plugin';
import { PluginError } from './plugin-host';

/**
 * A local file when it looks like a path (`./x.js`, `../x.js`, `/abs/x.js`, or a bare `x.js` in the
 * home folder); anything else, `pkg/sub.js` and `@scope/pkg` included, is an npm package name.
 */
function isPath(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec) || (!spec.includes('/') && /\.(c|m)?js$/.test(spec));
}

/** Finds the file for a plugin entry: paths relative to the home folder; packages from the home folder, the cwd, or agentwire's own. */
export function resolvePluginPath(spec: string, home: string): string {
  if (isPath(spec)) return resolve(home, spec);
  const bases = [join(home, 'package.json'), join(process.cwd(), 'package.json'), __filename];
  // Only for a plugin named by package: node:module also loads Node's ES module loader and
  // source-map support, which every start-up paid before its first reply (~0.17 ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { createRequire } = require('node:module') as typeof import('node:module');
  for (const base of bases) {
    try {
      return createRequire(base).resolve(spec);
    } catch {
      // try the next place
    }
  }
  throw new PluginError('AW_PLUGIN_NOT_FOUND', spec, `plugin ${spec} not found (looked in ${home}, ${process.cwd()} and agentwire's own packages)`);
}

/** Loads a plugin module (CommonJS or ES module) and returns the plugins it exports. */
export async function loadPluginModule(spec: string, home: string): Promise<AgentwirePlugin[]> {
  const file = resolvePluginPath(spec, home);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS plugin is loaded by its resolved path at run time
    mod = require(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      try {
        mod = await import(pathToFileURL(file).href);
      } catch (inner) {
        throw new PluginError('AW_PLUGIN_LOAD_FAILED', spec, `plugin ${spec} failed to load: ${(inner as Error).message}`);
      }
    } else {
      const reason = code === 'MODULE_NOT_FOUND' ? `cannot find ${file}` : (err as Error).message;
      throw new PluginError('AW_PLUGIN_LOAD_FAILED', spec, `plugin ${spec} failed to load: ${reason}`);
    }
  }
  const exported = pickExport(mod);
  const list = Array.isArray(exported) ? exported : [exported];
  for (const p of list) {
    if (!p || typeof (p as AgentwirePlugin).name !== 'string' || typeof (p as AgentwirePlugin).register !== 'function') {
      throw new PluginError('AW_PLUGIN_INVALID', spec, `plugin ${spec} does not export a plugin ({ name, register(context) })`);
    }
  }
  return list as AgentwirePlugin[];
}

function pickExport(mod: unknown): unknown {
  if (mod && typeof mod === 'object') {
    const m = mod as Record<string, unknown>;
    if (m.default !== undefined) {
      const d = m.default as Record<string, unknown> | undefined;
      // An ES module's default seen through CommonJS interop may be wrapped once more.
      return d && typeof d === 'object' && !('register' in d) && d.default !== undefined ? d.default : d;
    }
    if (m.plugin !== undefined) return m.plugin;
    if (m.plugins !== undefined) return m.plugins;
  }
  return mod;
}
