// Bundles the compiled CLI (build/src/cli.js, emitted by tsc with decorator metadata, which
// esbuild cannot emit itself) into one file, so that start-up reads one module instead of
// hundreds; then records V8's code cache for it by starting the server
// once (see launcher.cjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { recordCodeCache } from './code-cache-run.mjs';

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
  // Whitespace and syntax are minified, identifiers are not: the names of classes and functions stay
  // as written (the schema generator uses the protocol's class names; test/protocol/schema.spec.ts
  // checks the bundle's schema) without keepNames. keepNames wraps every named function and class
  // in an Object.defineProperty(fn, 'name') call: ~1,500 of them at every start-up (~2.5 ms before
  // the first reply), and one each time a named closure is made, per request on the hot paths
  // (pipelined ping, referee bench: server CPU 28.5 -> 8.0 ms per 1,000 requests without it).
  // Left as esbuild names them: a class that refers to itself in its body is `_Name`
  // (AgentwireConfig, RolloutRecorder, ...), and a few names inside dependencies that shadow
  // another get a suffix (TomlError2); only messages and logs show these, no logic reads them.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // The file is the CommonJS wrapper itself, so that the source V8 compiles (launcher.cjs runs the
  // file as it is) is byte for byte the file on disk: coverage offsets (c8, NODE_V8_COVERAGE) and
  // the source map then point at the right code.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  legalComments: 'none',
  // Loaded on first use only (the first tools/call, the first model request, `agentwire schema`); kept out of the
  // bundle that every start-up reads.
  external: ['ajv', 'class-validator-jsonschema', 'json-schema-to-typescript'],
  logLevel: 'warning',
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
// The Python command host (src/process/command-host.py), preferred where python3 is found: next to the
// bundle, and next to the compiled command-host.js for the tests that run build/.
copyFileSync('src/process/command-host.py', 'dist/command-host.py');
copyFileSync('src/process/command-host.py', 'build/src/process/command-host.py');
copyFileSync('scripts/launcher.cjs', 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);

await recordCodeCache('dist/cli.js', { AGENTWIRE_CODE_CACHE_OUT: 'dist' });
// A cache V8 rejects (recorded under other flags, say) would only make every start slower, silently.
const check =
  'const fs=require("fs"),vm=require("vm");const s=new vm.Script(fs.readFileSync("dist/agentwire.cjs","utf8"),{filename:require("path").resolve("dist/agentwire.cjs"),cachedData:fs.readFileSync("dist/agentwire.jsc")});process.exit(s.cachedDataRejected?1:0)';
if (spawnSync(process.execPath, ['-e', check], { stdio: 'inherit' }).status !== 0) throw new Error('V8 rejects the code cache dist/agentwire.jsc');
