import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefusedError, readRegularFile } from '../../src/files/read-regular-file';

describe('files: readRegularFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentwire-read-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function refusal(path: string, maxBytes = 1024, signal?: AbortSignal): Promise<unknown> {
    try {
      await readRegularFile(path, { maxBytes, signal });
    } catch (err) {
      return err;
    }
    throw new Error('expected a refusal');
  }

  it('reads a regular file up to the limit', async () => {
    const path = join(dir, 'a.png');
    writeFileSync(path, 'exactly16bytes!!');
    expect((await readRegularFile(path, { maxBytes: 16 })).toString()).to.equal('exactly16bytes!!');
  });

  it('refuses a file over the limit', async () => {
    const path = join(dir, 'a.png');
    writeFileSync(path, 'seventeen bytes!!');
    const err = await refusal(path, 16);
    expect(err).to.be.instanceOf(FileRefusedError).with.property('message', 'file is 17 bytes, larger than the limit of 16 bytes');
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const path = join(dir, 'pipe');
    execFileSync('mkfifo', [path]);
    expect(await refusal(path))
      .to.be.instanceOf(FileRefusedError)
      .with.property('message', 'not a regular file (a FIFO)');
  });

  it('refuses /dev/zero, a directory and a missing file', async () => {
    expect(await refusal('/dev/zero')).to.have.property('message', 'not a regular file (a character device)');
    expect(await refusal(dir)).to.have.property('message', 'not a regular file (a directory)');
    expect(await refusal(join(dir, 'missing')))
      .to.be.instanceOf(FileRefusedError)
      .with.property('message', 'no such file or directory');
  });

  it('stops with the signal’s reason when aborted', async () => {
    const path = join(dir, 'a.png');
    writeFileSync(path, 'x');
    const ac = new AbortController();
    const reason = new Error('interrupted');
    ac.abort(reason);
    expect(await refusal(path, 1024, ac.signal)).to.equal(reason);
  });
});
