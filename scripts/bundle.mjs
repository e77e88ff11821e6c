// Bundles the compiled CLI (build/src/cli.js, emitted by tsc with decorator metadata, which
// esbuild cannot emit itself) into one file, so that start-up reads one module instead of
// hundreds; then records V8's code cache for it (and for the undici chunk) by starting the server
// once (see launcher.cjs).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { constants as http2Constants } from 'node:http2';
import { recordCodeCache } from './code-cache-run.mjs';

/**
 * undici's HTTP/2 client requires node:http2 when it is loaded and reads only its constants then;
 * node:http2 pulls in tls, crypto and the HTTP/2 core: ~15 ms of CPU on the first model request,
 * for a protocol undici uses only when asked to (allowH2, off here). In the chunk, node:http2 is
 * therefore a module holding the constants (numbers and header names, copied at build time by the
 * same Node major) that loads the real module when anything else of it is used.
 */
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(b) {
    b.onResolve({ filter: /^node:http2$/ }, () => ({ path: 'node:http2', namespace: 'lazy-http2' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-http2' }, () => ({
      contents: `const constants = Object.freeze(${JSON.stringify(http2Constants)});
module.exports = new Proxy({}, { get: (_, key) => (key === 'constants' ? constants : require('http2')[key]) });`,
      loader: 'js',
    }));
  },
};

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
await build({
  entryPoints: ['scripts/undici-chunk.cjs'],
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
  plugins: [lazyHttp2],
});
// The command host (src/process/command-host-main.ts): a program of its own, started once per server
// in the lifeline's pid namespace to start the unsandboxed commands; Node builtins only.
await build({
  entryPoints: ['build/src/process/command-host-main.js'],
  outfile: 'dist/command-host.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync('scripts/launcher.cjs', 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);

await recordCodeCache('dist/cli.js', { AGENTWIRE_CODE_CACHE_OUT: 'dist' });
