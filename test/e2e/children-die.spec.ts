import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { EngineFixture } from '../support/engine-home';
import { cmdline, eventually, pidsWithArgument, sleepToken } from '../exec/helpers';

/** The `sleep` processes (not a wrapper whose argv also carries `t`) running with `t`. */
function sleepers(t: string): number[] {
  return pidsWithArgument(t).filter((pid) => cmdline(pid)[0]?.endsWith('sleep'));
}

/** Issue 18.6: a command's processes end with their turn and with the server, even a SIGKILLed server. */
describe('child processes die with their turn and the server', function () {
  let f: EngineFixture;
  const started: string[] = [];
  afterEach(async () => {
    await f?.close();
    // Whatever a failing test left behind: only the sleeps this spec started, each by pid.
    for (const t of started.splice(0)) for (const pid of pidsWithArgument(t)) process.kill(pid, 'SIGKILL');
  });

  /**
   * Starts a shell call in a listened conversation and resolves once `count` sleeps carrying `t` run: the sleeps
   * themselves, so the wrapper (bwrap) has finished setting up, its parent-death signal included.
   */
  async function runSleeps(command: string[], t: string, count: number, sandboxMode = 'danger-full-access'): Promise<string> {
    f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode });
    started.push(t);
    f.mock.enqueue({ kind: 'tool_call', name: 'shell', callId: 's', arguments: { command, timeout_ms: 60_000 } });
    const id = await f.listenedConversation();
    await f.send(id, 'sleep');
    await f.event(id, 'exec_command_begin');
    expect(await eventually(() => sleepers(t).length === count, 10_000)).to.equal(true, `running: ${pidsWithArgument(t)}`);
    return id;
  }

  async function killServer(): Promise<void> {
    f.client.proc.kill('SIGKILL');
    expect((await f.client.exited).signal).to.equal('SIGKILL');
  }

  const setsidSleep = (t: string) => ['bash', '-c', `setsid sleep ${t} & sleep ${t} & echo ready; wait`];

  it('kill -9 of the server ends an unsandboxed (danger-full-access) sleep', async () => {
    const t = sleepToken();
    await runSleeps(['sleep', t], t, 1);
    await killServer();
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });

  it('interruptConversation ends an unsandboxed child that called setsid', async () => {
    const t = sleepToken();
    const id = await runSleeps(setsidSleep(t), t, 2);
    await f.client.request('interruptConversation', { conversationId: id });
    await f.event(id, 'turn_aborted');
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });

  it('closing stdin ends an unsandboxed child that called setsid', async () => {
    const t = sleepToken();
    await runSleeps(setsidSleep(t), t, 2);
    f.client.closeStdin();
    expect((await f.client.exited).code).to.equal(0);
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });

  it('kill -9 of the server ends an unsandboxed child that called setsid', async () => {
    const t = sleepToken();
    await runSleeps(setsidSleep(t), t, 2);
    await killServer();
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });

  it('kill -9 of the server ends a sandboxed child that called setsid (bwrap --die-with-parent)', async function () {
    if (!['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'].some((p) => existsSync(p))) {
      console.log('      skipped: bubblewrap (bwrap) is not installed');
      this.skip();
    }
    const t = sleepToken();
    await runSleeps(setsidSleep(t), t, 2, 'workspace-write');
    await killServer();
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);
  });
});
