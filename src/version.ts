import pkg from '../package.json';

/** agentwire's version, from package.json (compiled in, so the bundle needs no file beside it). */
export const VERSION: string = pkg.version;
