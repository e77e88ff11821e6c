// Bundles the compiled CLI (build/src/cli.js, emitted by tsc with decorator metadata, which
// esbuild cannot emit itself) into one file, so that start-up reads one module instead of
// hundreds; then records V8's code cache for it (and for the undici chunk) by starting the server
// once (see launcher.cjs).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['build/src/cli.js'],
  outfile: 'dist/agentwire.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Third-party plugins that are ES modules are loaded with a real import().
  supported: { 'dynamic-import': true },
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  // The file is the CommonJS wrapper itself, so that the source V8 compiles (launcher.cjs runs the
  // file as it is) is byte for byte the file on disk: coverage offsets (c8, NODE_V8_COVERAGE) and
  // the source map then point at the right code.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  legalComments: 'none',
  // Loaded on first use only (the first tools/call, the first model request, `agentwire schema`); kept out of the
  // bundle that every start-up reads.
  external: ['ajv', 'undici', 'class-validator-jsonschema', 'json-schema-to-typescript'],
  logLevel: 'warning',
});
// undici, the HTTP client of model requests, as a chunk of its own with its own code cache: loaded
// on the first model request, not at start-up (see launcher.cjs).
/** Gives undici's client-h2.js scripts/undici-lazy-http2.cjs for `node:http2` (see that file). */
const lazyHttp2 = {
  name: 'undici-lazy-http2',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
      /[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? { path: join(process.cwd(), 'scripts/undici-lazy-http2.cjs') } : undefined,
    );
  },
};
await build({
  entryPoints: ['scripts/undici-chunk.cjs'],
  plugins: [lazyHttp2],
  outfile: 'dist/undici.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // Wrapped like agentwire.cjs: launcher.cjs runs both files as they are.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync('scripts/launcher.cjs', 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);

const home = mkdtempSync(join(tmpdir(), 'agentwire-cache-'));
try {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'build', version: '0' } } };
  const lines = [
    init,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'getAuthStatus', params: {} },
  ];
  execFileSync(process.execPath, ['dist/cli.js', 'mcp'], {
    input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    env: { ...process.env, CODEX_HOME: home, AGENTWIRE_CODE_CACHE_OUT: 'dist', AGENTWIRE_LOG: 'silent' },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
} finally {
  rmSync(home, { recursive: true, force: true });
}
