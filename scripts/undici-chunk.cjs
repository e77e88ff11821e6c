'use strict';
// Entry of dist/undici.cjs (scripts/bundle.mjs): the part of undici that model requests use, an
// Agent with the request API, as undici's own index.js puts it together, without the rest of the
// package (fetch, web sockets, caches, mocks, proxies), which only cost the first model request
// CPU to load (~20 ms against ~12 ms). src/model/model-client.ts requires 'undici' and takes
// Agent; run from build/ (tests) that is the whole package, in dist/ the launcher hands it this.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

Object.assign(Dispatcher.prototype, api);
module.exports = { Agent: require('undici/lib/dispatcher/agent') };
