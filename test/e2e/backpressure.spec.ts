import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { SERVER_ENTRY } from '../support/mcp-client';
import { TempHome } from '../support/temp-home';

/** The server's resident memory in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * Issue 18 finding 9: a client that stops reading stdout while it pipelines requests must not
 * grow the server's memory without bound. Before the fix the server read every request (100,000 of them in the issue) and
 * buffered every reply (about 2 KB each) for stdout: 450 MB and more.
 */
describe('agentwire mcp: output backpressure', function () {
  this.timeout(60_000);
  let home: TempHome;
  let proc: ChildProcessWithoutNullStreams;

  beforeEach(() => {
    home = new TempHome();
    // Debug logging: the server says on stderr when it stops reading stdin, which the test waits for.
    proc = spawn(process.execPath, [SERVER_ENTRY, 'mcp'], {
      env: { ...process.env, RUST_LOG: undefined, AGENTWIRE_LOG: 'debug', CODEX_HOME: home.path },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stdin.on('error', () => undefined);
  });

  afterEach(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
    home.remove();
  });

  it('stops reading stdin while its output is not read, keeps memory bounded, and answers everything once the client reads again', async function () {
    if (process.platform !== 'linux') return this.skip();
    const count = 40_000;
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    const paused = new Promise<'paused'>((resolve) => {
      proc.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('stdin paused')) resolve('paused');
      });
    });

    // The client reads nothing from now on: the pipe fills, then the server's stdout buffer.
    proc.stdout.pause();
    let input = '';
    for (let id = 0; id < count; id++) input += `{"jsonrpc":"2.0","id":${id},"method":"tools/list"}\n`;
    const drained = proc.stdin.write(input) ? Promise.resolve('drained' as const) : once(proc.stdin, 'drain').then(() => 'drained' as const);

    // Either the server stops reading (fixed), or it swallows all 1.8 MB of requests (the old code).
    const outcome = await Promise.race([paused, drained]);
    const peak = rssMiB(proc.pid!);
    expect(outcome, 'the server read every request although nobody read its replies').to.equal('paused');
    expect(proc.stdin.writableLength, 'requests still waiting in the client').to.be.greaterThan(0);
    expect(peak, `server RSS ${peak.toFixed(0)} MiB while the client does not read`).to.be.below(200);

    // The client reads again: every request gets its one reply, in order.
    const seen = new Uint8Array(count);
    let replies = 0;
    let tail = '';
    const all = new Promise<void>((resolve) => {
      proc.stdout.setEncoding('utf8');
      proc.stdout.on('data', (chunk: string) => {
        const lines = (tail + chunk).split('\n');
        tail = lines.pop()!;
        for (const line of lines) {
          const id = /^\{"jsonrpc":"2\.0","id":(\d+),"result":\{"tools":\[/.exec(line)?.[1];
          if (id === undefined) throw new Error(`unexpected line: ${line.slice(0, 200)}`);
          seen[Number(id)]++;
          if (++replies === count) resolve();
        }
      });
      proc.stdout.resume();
    });
    await all;
    expect(seen.every((n) => n === 1)).to.equal(true);
    expect(stderr).to.contain('stdin resumed');
  });
});
