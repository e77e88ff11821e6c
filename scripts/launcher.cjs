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
const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), {
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
