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
// The CommonJS loader's class, which is `require('node:module')`: taken from this module, because
// requiring node:module also loads Node's ES module loader and source-map support (~0.17 ms).
const Module = module.constructor;

const cacheOut = process.env.AGENTWIRE_CODE_CACHE_OUT;
if (cacheOut) delete process.env.AGENTWIRE_CODE_CACHE_OUT;

/**
 * Reads `source` and, when it can, `cache` into one scratch buffer of more than 32 MiB; returns
 * both contents as slices of it (the cache undefined when it cannot be read). An error reading
 * the source is thrown as it is.
 *
 * Why so large a buffer: glibc's malloc keeps freed memory instead of returning it below a
 * threshold, and it raises that threshold, for the rest of the process, to the size of any block
 * larger than the threshold (128 KiB at first) and at most 32 MiB that it had mapped on its own
 * and that is freed. fs.readFileSync of the 1 MB bundle freed three such blocks right after
 * start-up (its growing string; an LD_PRELOAD probe of free() showed them), which left the
 * thresholds at 1 and 2 MiB; the server then held ~3 MiB more from start-up on (RSS idle 49.5
 * against 48.5 MiB, the burst's peak 65.6 against 62.3, referee bench). A block of more than
 * 32 MiB is unmapped when freed without moving the thresholds, and only the pages read into are
 * ever touched. (V8 itself frees one block of 260 KiB while it reads the cache, which is where
 * the thresholds start now.) The cache is placed at an offset that is a multiple of 16: V8 copies
 * cached data that is not pointer-aligned into a block of its own, and frees that.
 */
function readSourceAndCache(source, cache) {
  const sourceFd = fs.openSync(source, 'r');
  let cacheFd;
  try {
    cacheFd = cache === undefined ? undefined : fs.openSync(cache, 'r');
  } catch {
    cacheFd = undefined;
  }
  try {
    const sourceSize = fs.fstatSync(sourceFd).size;
    const cacheAt = (sourceSize + 15) & ~15;
    let cacheSize = 0;
    try {
      // A cache larger than any the build makes is not one: it is not read.
      if (cacheFd !== undefined) cacheSize = fs.fstatSync(cacheFd).size;
      if (cacheSize > 64 * 1024 * 1024) cacheSize = 0;
    } catch {
      cacheSize = 0;
    }
    let scratch;
    try {
      scratch = Buffer.allocUnsafeSlow(Math.max(cacheAt + cacheSize, 32 * 1024 * 1024) + 4096);
    } catch {
      // Not that much address space (ulimit -v, strict overcommit): a buffer of the files' size.
      scratch = Buffer.allocUnsafeSlow(cacheAt + cacheSize + 4096);
    }
    const sourceBytes = scratch.subarray(0, readFully(sourceFd, scratch, 0, sourceSize));
    let cacheBytes;
    try {
      if (cacheSize > 0) cacheBytes = scratch.subarray(cacheAt, cacheAt + readFully(cacheFd, scratch, cacheAt, cacheSize));
    } catch {
      cacheBytes = undefined;
    }
    return [sourceBytes, cacheBytes];
  } finally {
    fs.closeSync(sourceFd);
    if (cacheFd !== undefined) fs.closeSync(cacheFd);
  }
}

/** Reads up to `size` bytes of `fd` into `buffer` at `at`, over as many reads as it takes; returns how many it read. */
function readFully(fd, buffer, at, size) {
  let read = 0;
  while (read < size) {
    const n = fs.readSync(fd, buffer, at + read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

/** Runs `<name>.cjs` of this folder as a CommonJS module, compiled with `<name>.jsc` when it is there. */
function load(name) {
  const file = path.join(__dirname, `${name}.cjs`);
  // Under coverage collection (NODE_V8_COVERAGE, set by c8 in the tests) the cache is not used:
  // functions restored from it carry no block counters, so V8 would report only whole functions.
  const withCache = !process.env.NODE_V8_COVERAGE;
  const [bytes, cachedData] = readSourceAndCache(file, withCache ? path.join(__dirname, `${name}.jsc`) : undefined);
  // Each bundle is already wrapped in the CommonJS function (see bundle.mjs), so that V8 compiles
  // exactly the file on disk and coverage offsets match it.
  const source = bytes.toString('utf8');
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
