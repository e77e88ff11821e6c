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

/**
 * Reads each of `files` that is there into one scratch buffer of more than 32 MiB; returns the
 * contents (undefined for a missing file) as slices of it.
 *
 * Why so large a buffer: glibc's malloc keeps freed memory instead of returning it below a
 * threshold, and it raises that threshold, for the rest of the process, to the size of any block
 * of 128 KiB to 32 MiB that it had mapped on its own and that is freed. fs.readFileSync of the
 * 1 MB bundle frees three such blocks right after start-up (its growing string), and from then on
 * the server held 3-6 MiB more (the soak of `npm run bench`: RSS after turn 1,000 75 against 69
 * MiB, and +12-15 % over turn 100 against +10-12 %). A block of more than 32 MiB is unmapped when
 * freed without moving the threshold, and only the pages read into are ever touched.
 */
function readAll(files) {
  const sizes = files.map((file) => {
    try {
      return fs.statSync(file).size;
    } catch {
      return undefined;
    }
  });
  const total = sizes.reduce((sum, size) => sum + (size ?? 0), 0);
  const scratch = Buffer.allocUnsafeSlow(Math.max(total, 32 * 1024 * 1024) + 4096);
  let at = 0;
  return files.map((file, i) => {
    if (sizes[i] === undefined) return undefined;
    let read;
    try {
      const fd = fs.openSync(file, 'r');
      try {
        read = fs.readSync(fd, scratch, at, sizes[i], 0);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return undefined;
    }
    const bytes = scratch.subarray(at, at + read);
    at += read;
    return bytes;
  });
}

/** Runs `<name>.cjs` of this folder as a CommonJS module, compiled with `<name>.jsc` when it is there. */
function load(name) {
  const file = path.join(__dirname, `${name}.cjs`);
  // Under coverage collection (NODE_V8_COVERAGE, set by c8 in the tests) the cache is not used:
  // functions restored from it carry no block counters, so V8 would report only whole functions.
  const withCache = !process.env.NODE_V8_COVERAGE;
  const [bytes, cachedData] = readAll(withCache ? [file, path.join(__dirname, `${name}.jsc`)] : [file]);
  if (!bytes) throw Object.assign(new Error(`cannot read ${file}`), { code: 'ENOENT' });
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
