#!/usr/bin/env node
'use strict';
// agentwire's entry point. It runs the bundled program (agentwire.cjs) with V8's code cache
// (agentwire.jsc, made at build time), which saves compiling the bundle at every start: most of
// the start-up time of a server that clients spawn per session. Node 20 has no
// module.enableCompileCache, so this uses vm.Script's cachedData. A missing or stale cache only
// makes the start slower, never wrong.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const cacheOut = process.env.AGENTWIRE_CODE_CACHE_OUT;
if (cacheOut) delete process.env.AGENTWIRE_CODE_CACHE_OUT;

/** Runs `<name>.cjs` of this folder as a CommonJS module, compiled with `<name>.jsc` when it is there. */
function load(name) {
  const file = path.join(__dirname, `${name}.cjs`);
  // Each bundle is already wrapped in the CommonJS function (see bundle.mjs), so that V8 compiles
  // exactly the file on disk and coverage offsets match it.
  const source = fs.readFileSync(file, 'utf8');
  // Under coverage collection (NODE_V8_COVERAGE, set by c8 in the tests) the cache is not used:
  // functions restored from it carry no block counters, so V8 would report only whole functions.
  let cachedData;
  try {
    cachedData = process.env.NODE_V8_COVERAGE ? undefined : fs.readFileSync(path.join(__dirname, `${name}.jsc`));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // Build time (scripts/bundle.mjs): the cache is written at exit, so that it holds the functions
  // the run compiled, not only the top level.
  const writeCache = () => {
    // V8 rejects a cache made under other flags than the reading process's. The server sets flags
    // after its handshake and its first model stream (src/runtime/runtime-tuning.ts); a fresh start
    // has V8's defaults, so they are put back before the cache is made (bundle.mjs checks it).
    require('node:v8').setFlagsFromString('--heap-growing-percent=0 --semi-space-growth-factor=2');
    fs.writeFileSync(path.join(cacheOut, `${name}.jsc`), script.createCachedData());
  };
  if (cacheOut) process.once('exit', writeCache);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(__dirname);
  mod.loaded = true;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
  return mod.exports;
}

load('agentwire');
