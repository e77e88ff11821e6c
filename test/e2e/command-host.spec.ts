import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { commandHostPrograms } from '../../src/process/command-host';
import { Lifeline } from '../../src/process/lifeline';
import { EngineFixture } from '../support/engine-home';
import { descendants, isCommandHostArg } from '../support/tasks';
import { cmdline, eventually, pidsWithArgument, sleepToken } from '../exec/helpers';

/** The server's command host processes: bwrap (its child) and the host program inside the namespace. */
function hostOf(server: number): { bwrap: number[]; program: number[] } {
  const hosts = descendants(server).filter((pid) => cmdline(pid).some(isCommandHostArg));
  return {
    bwrap: hosts.filter((pid) => cmdline(pid)[0].endsWith('bwrap') && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(server)),
    program: hosts.filter((pid) => !cmdline(pid)[0].endsWith('bwrap')),
  };
}

/** Issue 17: unsandboxed commands run in one long-lived command host, in one pid namespace that dies with the server. */
describe('the command host of unsandboxed commands (e2e)', function () {
  let f: EngineFixture;
  const started: string[] = [];
  before(async function () {
    const plan = await new Lifeline().probe();
    if (plan.kind !== 'pid-namespace') {
      console.log(`      skipped: bwrap cannot create a pid namespace here (${plan.kind})`);
      this.skip();
    }
  });
  afterEach(async () => {
    await f?.close();
    for (const t of started.splice(0)) for (const pid of pidsWithArgument(t)) process.kill(pid, 'SIGKILL');
  });

  const shell = (command: string[], callId = 's') => ({ kind: 'tool_call' as const, name: 'shell', callId, arguments: { command, timeout_ms: 60_000 } });

  it('commands of two conversations share one host, and kill -9 of the server ends them all', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'danger-full-access' });
    const [t1, t2] = [sleepToken(), sleepToken()];
    started.push(t1, t2);
    f.mock.enqueue(shell(['bash', '-c', `setsid sleep ${t1} & sleep ${t1} & wait`]));
    const a = await f.listenedConversation();
    await f.send(a, 'one');
    expect(await eventually(() => pidsWithArgument(t1).length === 2, 10_000)).to.equal(true, 'the first command never ran');
    f.mock.enqueue(shell(['sleep', t2]));
    const b = await f.listenedConversation();
    await f.send(b, 'two');
    expect(await eventually(() => pidsWithArgument(t2).length === 1, 10_000)).to.equal(true, 'the second command never ran');
    const host = hostOf(f.client.proc.pid!);
    expect(host.bwrap).to.have.length(1);
    expect(host.program).to.have.length(1);
    // The Python host (vfork) where the machine has python3, the Node host otherwise.
    const program = commandHostPrograms()[0].name === 'python' ? '/command-host.py' : '/command-host.cjs';
    expect(cmdline(host.program[0]).some((arg) => arg.endsWith(program))).to.equal(true, `the host runs ${cmdline(host.program[0]).join(' ')}`);
    f.client.proc.kill('SIGKILL');
    expect((await f.client.exited).signal).to.equal('SIGKILL');
    const left = () => [...pidsWithArgument(t1), ...pidsWithArgument(t2), ...host.program.filter((pid) => cmdline(pid).length > 0)];
    expect(await eventually(() => left().length === 0)).to.equal(true, `survived: ${left()}`);
  });

  it('the host killed mid-command: that command ends with -1, the turn goes on, the next command gets a fresh host', async () => {
    f = await EngineFixture.start({ approvalPolicy: 'never', sandboxMode: 'danger-full-access' });
    const t = sleepToken();
    started.push(t);
    f.mock.enqueue(shell(['sleep', t], 'c1'), { kind: 'text', text: 'first done' }, shell(['bash', '-c', 'echo again'], 'c2'), { kind: 'text', text: 'second done' });
    const id = await f.listenedConversation();
    await f.send(id, 'sleep');
    expect(await eventually(() => pidsWithArgument(t).length === 1, 10_000)).to.equal(true, 'the command never ran');
    const [bwrap] = hostOf(f.client.proc.pid!).bwrap;
    process.kill(bwrap, 'SIGKILL');
    const done = await f.event(id, 'task_complete');
    expect(done.params.msg.last_agent_message).to.equal('first done');
    const ends = () => f.events(id).filter((e) => e.msg.type === 'exec_command_end');
    expect(ends()[0].msg.exit_code).to.equal(-1);
    expect(await eventually(() => pidsWithArgument(t).length === 0)).to.equal(true, `survived: ${pidsWithArgument(t)}`);

    await f.send(id, 'again');
    await f.event(id, 'task_complete', 2);
    expect(ends()[1].msg).to.include({ exit_code: 0, stdout: 'again\n' });
    expect(hostOf(f.client.proc.pid!).bwrap).to.have.length(1).and.not.include(bwrap);
  });
});
