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

const file = path.join(__dirname, 'agentwire.cjs');
const cacheFile = path.join(__dirname, 'agentwire.jsc');
// The bundle is already wrapped in the CommonJS function (see bundle.mjs), so that V8 compiles
// exactly the file on disk and coverage offsets match it.
const source = fs.readFileSync(file, 'utf8');
// Under coverage collection (NODE_V8_COVERAGE, set by c8 in the tests) the cache is not used:
// functions restored from it carry no block counters, so V8 would report only whole functions.
let cachedData;
try {
  cachedData = process.env.NODE_V8_COVERAGE ? undefined : fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(source, {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const cacheOut = process.env.AGENTWIRE_CODE_CACHE_OUT;
if (cacheOut) {
  delete process.env.AGENTWIRE_CODE_CACHE_OUT;
  process.once('exit', () => fs.writeFileSync(cacheOut, script.createCachedData()));
}
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
const run = script.runInThisContext();
run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
