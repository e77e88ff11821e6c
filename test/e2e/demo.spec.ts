import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const CTRL_C = '\x03';
const CTRL_D = '\x04';

/** Terminal output as a person reads it: no colours, no cursor codes, no carriage returns. */
function readable(raw: string): string {
  // eslint-disable-next-line no-control-regex -- matches the terminal escape sequences the demo prints
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * `npm run demo`'s script under a pseudo-terminal (util-linux `script`), so that it asks its
 * questions as it does for a person. TMPDIR is a folder of the test's own, so "nothing left
 * behind" can be checked exactly.
 */
class DemoAtTerminal {
  readonly tmp = mkdtempSync(join(tmpdir(), 'agentwire-demo-test-'));
  private readonly proc: ChildProcess;
  private raw = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor() {
    // `exec` so that the pty's process is the demo itself (its pid is needed for SIGTERM); -e
    // gives the demo's exit code; the log file is /dev/null because the output is read here.
    this.proc = spawn('script', ['-qefc', 'exec node scripts/demo.mjs', '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: this.tmp, COLUMNS: '80', LINES: '50', AGENTWIRE_LOG: undefined },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer): void => {
      this.raw += chunk.toString('utf8');
      for (const w of this.waiters) w();
    };
    this.proc.stdout!.on('data', take);
    this.proc.stderr!.on('data', take);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  get output(): string {
    return readable(this.raw);
  }

  /** Resolves once the output holds `marker` `times` times (the demo's own prompts, not a sleep). */
  waitFor(marker: string, times = 1): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.output.split(marker).length - 1 < times) return false;
        this.waiters = this.waiters.filter((w) => w !== listener);
        resolve();
        return true;
      };
      function listener(): void {
        check();
      }
      if (check()) return;
      this.waiters.push(listener);
      void this.exited.then(() => {
        if (!check()) reject(new Error(`the demo ended before printing ${JSON.stringify(marker)}:\n${this.output}`));
      });
    });
  }

  type(keys: string): void {
    this.proc.stdin!.write(keys);
  }

  /** The pid of the demo itself: `script`'s only child. */
  demoPid(): number {
    const pid = this.proc.pid!;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    expect(children, 'children of script').to.have.length(1);
    return Number(children[0]);
  }

  leftInTmp(): string[] {
    return readdirSync(this.tmp);
  }

  remove(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

describe('npm run demo at a terminal', function () {
  let demo: DemoAtTerminal | undefined;

  before(function () {
    if (!HAS_SCRIPT) {
      console.log('      skipped: `script` (util-linux) is not installed; it gives the demo a pseudo-terminal');
      this.skip();
    }
  });
  afterEach(() => demo?.remove());

  it('"y" to both questions: runs the command, writes NOTES.md, says so, fits 80 columns, leaves nothing', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    demo.type('y\r');
    await demo.waitFor('Apply it?');
    demo.type('y\r');
    expect(await demo.exited).to.equal(0);
    const out = demo.output;
    expect(out).to.contain('The command finished (2 files on Linux)');
    expect(out).to.contain('Done. I ran one command to look around and added NOTES.md');
    expect(out).to.contain('NOTES.md now reads:');
    // The approval and the run show the command quoted the same way.
    expect(out.split("$ bash -lc 'uname -s && ls -1'\n")).to.have.length(3);
    // The patch preview keeps the blank line the new file has.
    expect(out).to.contain('      # Notes\n\n      Files seen by the agentwire demo: 2 files on Linux.\n');
    expect(out.split('\n').filter((line) => line.length > 80)).to.deep.equal([]);
    expect(demo.leftInTmp()).to.deep.equal([]);
  });

  it('"n" to the command: the agent says it did not run and claims nothing else', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    demo.type('n\r');
    expect(await demo.exited).to.equal(0);
    const out = demo.output;
    expect(out).to.contain('The command did not run (exec command rejected by user)');
    expect(out).to.contain('NOTES.md was not written.');
    expect(out).not.to.contain('The command finished');
    expect(out).not.to.contain('Files seen');
    expect(out).not.to.contain('I ran one command');
    expect(out).not.to.contain('Apply it?');
    expect(demo.leftInTmp()).to.deep.equal([]);
  });

  it('"y" to the command and "n" to the patch: nothing written, and the agent says so', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    demo.type('y\r');
    await demo.waitFor('Apply it?');
    demo.type('n\r');
    expect(await demo.exited).to.equal(0);
    expect(demo.output).to.contain('The patch was not applied (patch rejected by user)').and.to.contain('NOTES.md was not written.');
    expect(demo.output).not.to.contain('I ran one command');
    expect(demo.leftInTmp()).to.deep.equal([]);
  });

  it('Ctrl-D (end of input) at a question declines it instead of hanging', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    demo.type(CTRL_D);
    expect(await demo.exited).to.equal(0);
    expect(demo.output).to.contain('end of input: declining').and.to.contain('The command did not run (exec command rejected by user)');
    expect(demo.leftInTmp()).to.deep.equal([]);
  });

  it('Ctrl-C at a question stops the demo and removes its temporary folder', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    expect(demo.leftInTmp()).to.have.length(1);
    demo.type(CTRL_C);
    expect(await demo.exited).to.equal(130);
    expect(demo.output).to.contain('interrupted: stopping the demo');
    expect(demo.leftInTmp()).to.deep.equal([]);
  });

  it('SIGTERM while waiting for an answer stops the demo and removes its temporary folder', async () => {
    demo = new DemoAtTerminal();
    await demo.waitFor('Allow this command?');
    process.kill(demo.demoPid(), 'SIGTERM');
    expect(await demo.exited).to.equal(143);
    expect(demo.leftInTmp()).to.deep.equal([]);
  });
});
