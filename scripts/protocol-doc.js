// `npm run docs`: writes docs/PROTOCOL.md from src/protocol/ (build first: npm run build).
require('reflect-metadata');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { renderProtocolDoc } = require('../build/src/schema/protocol-doc');

const root = join(__dirname, '..');
const template = readFileSync(join(root, 'src', 'protocol', 'docs', 'PROTOCOL.template.md'), 'utf8');
writeFileSync(join(root, 'docs', 'PROTOCOL.md'), renderProtocolDoc(template));
