/**
 * node:os, required on first use rather than at start-up (ARCHITECTURE.md, Start-up performance):
 * the modules that need it (errno and signal numbers, the home folder, the host name) are all
 * loaded before the first reply, and none of them needs it then.
 */
export function os(): typeof import('node:os') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, see above
  return require('node:os') as typeof import('node:os');
}
