import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authVersion } from '../support/auth-writer-child';
import { TempHome } from '../support/temp-home';

const CHILD = join(__dirname, '..', 'support', 'auth-writer-child.js');
const ROUNDS = 40;

/** AUTH.md §6 point 1: whatever kills a writer, auth.json is a whole version, old or new. */
describe('auth.json writes under SIGKILL', function () {
  this.timeout(120_000);
  let home: TempHome;
  beforeEach(() => (home = new TempHome()));
  afterEach(() => home.remove());

  it(`is always one complete written version (${ROUNDS} random kills)`, async () => {
    let next = 1;
    let everWritten = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawn(process.execPath, [CHILD, home.path, String(next)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = once(child, 'exit');
      let lastWritten = 0;
      child.stdout.setEncoding('utf8');
      let firstWrite!: () => void;
      const wroteOnce = new Promise<void>((resolve) => (firstWrite = resolve));
      child.stdout.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/wrote (\d+)/g)) lastWritten = Math.max(lastWritten, Number(m[1]));
        firstWrite();
      });
      // Until one version exists, wait for it; afterwards kill at any moment, even before the child's first write.
      if (everWritten === 0) await wroteOnce;
      else await once(child, 'spawn');
      // The random delay only picks the moment; the check below holds whatever it is.
      await new Promise((r) => setTimeout(r, Math.random() * 80));
      child.kill('SIGKILL');
      await exited;
      everWritten = Math.max(everWritten, lastWritten);

      const text = readFileSync(join(home.path, 'auth.json'), 'utf8');
      const parsed = JSON.parse(text) as { OPENAI_API_KEY: string };
      const n = Number(/^sk-version-(\d+)$/.exec(parsed.OPENAI_API_KEY)?.[1]);
      expect(n, 'a version number').to.be.a('number').and.be.at.least(1);
      expect(text).to.equal(`${JSON.stringify(authVersion(n), null, 2)}\n`);
      // A version announced as written is never lost to a later, killed write.
      expect(n).to.be.at.least(lastWritten);
      next = Math.max(next, n, lastWritten) + 1;
    }
  });
});
