import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderProtocolDoc } from '../../src/schema/protocol-doc';
import { buildServer } from '../../src/server';
import { TempHome } from '../support/temp-home';

const ROOT = join(__dirname, '..', '..', '..');

/** docs/PROTOCOL.md is checked against the methods the server really registers. */
describe('docs/PROTOCOL.md', () => {
  let home: TempHome;
  before(() => (home = new TempHome()));
  after(() => home.remove());

  it('has a table row for every method served, and none for a method not served', async () => {
    const { router } = await buildServer({ home: home.path });
    const { requests, notifications } = router.methods();
    const served = new Set([...requests, ...notifications, 'notifications/cancelled']);
    const doc = readFileSync(join(ROOT, 'docs', 'PROTOCOL.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
    for (const method of served) expect(documented, `PROTOCOL.md misses ${method}`).to.include(method);
    for (const method of documented) expect(served, `PROTOCOL.md documents ${method}, which is not served`).to.include(method);
  });
});

/** docs/PROTOCOL.md is generated from src/protocol/ (`npm run docs`); the committed file must be what it generates. */
describe('docs/PROTOCOL.md is generated', () => {
  it('matches what npm run docs writes from src/protocol/', () => {
    const template = readFileSync(join(ROOT, 'src', 'protocol', 'docs', 'PROTOCOL.template.md'), 'utf8');
    const committed = readFileSync(join(ROOT, 'docs', 'PROTOCOL.md'), 'utf8');
    expect(committed === renderProtocolDoc(template), 'docs/PROTOCOL.md is out of date: run npm run docs').to.equal(true);
  });
});
