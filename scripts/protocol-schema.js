// Build step (after tsc, before the bundle): writes the `codex` tools' schemas, generated from the
// protocol's classes, where src/codex-tools/tool-schemas.ts reads them (build/src/codex-tools/).
require('reflect-metadata');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { codexToolSchemas } = require('../build/src/schema/generate');

writeFileSync(join(__dirname, '..', 'build', 'src', 'codex-tools', 'tool-schemas.json'), JSON.stringify(codexToolSchemas(), null, 2) + '\n');
