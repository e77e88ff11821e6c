'use strict';
// What dist/undici.cjs gets for `require('node:http2')` (scripts/bundle.mjs). undici requires
// http2 when it loads, for HTTP/2 connections we never ask for (no `allowH2`), and node:http2
// pulls in tls and crypto: ~4 MiB of resident memory and CPU on the first model request of every
// process, for nothing. This gives undici the header-name constants it reads at load (the fixed
// names of RFC 9113 and RFC 9110) and loads the real module only if a connection is ever made.
module.exports = {
  constants: {
    HTTP2_HEADER_AUTHORITY: ':authority',
    HTTP2_HEADER_METHOD: ':method',
    HTTP2_HEADER_PATH: ':path',
    HTTP2_HEADER_SCHEME: ':scheme',
    HTTP2_HEADER_STATUS: ':status',
    HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
    HTTP2_HEADER_EXPECT: 'expect',
  },
  connect: (...args) => require('node:http2').connect(...args),
};
