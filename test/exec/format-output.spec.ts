import { expect } from 'chai';
import { durationParts, formatOutputForModel, runCommand, sandboxDeniedError, sandboxDeniedOutput, timeoutOutput, toolOutputJson } from '../../src/exec';
import { neverAborted, testEnv } from './helpers';

function seq(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');
}

describe('exec: model-facing output (SANDBOX.md §4)', () => {
  it('shortens `seq 1 20000` exactly as 0.29 measured: 1211 bytes, 258 lines', () => {
    const out = formatOutputForModel(seq(20000));
    expect(Buffer.byteLength(out)).to.equal(1211);
    const lines = out.split('\n');
    expect(lines).to.have.length(258);
    expect(lines.slice(0, 3)).to.deep.equal(['1', '2', '3']);
    expect(lines[127]).to.equal('128');
    expect(lines[128]).to.equal('[... omitted 19744 of 20000 lines ...]');
    expect(lines[129]).to.equal('');
    expect(lines[130]).to.equal('19873');
    expect(lines[257]).to.equal('20000');
  });

  it('gives the same for the real `seq 1 20000` output', async () => {
    const r = await runCommand({ argv: ['seq', '1', '20000'], cwd: '/', env: testEnv(), timeoutMs: 10_000, signal: neverAborted() });
    expect(Buffer.byteLength(r.aggregated)).to.equal(108894);
    expect(Buffer.byteLength(formatOutputForModel(r.aggregated))).to.equal(1211);
  });

  it('cuts a single 30000-byte line to 5 KiB followed by `omitted 0 of 1 lines`', () => {
    const out = formatOutputForModel('x'.repeat(30000));
    expect(out).to.equal(`${'x'.repeat(5120)}\n[... omitted 0 of 1 lines ...]\n\n`);
    expect(formatOutputForModel(`${'x'.repeat(30000)}\n`)).to.equal(out);
  });

  it('passes short output through untouched, final newline included', () => {
    expect(formatOutputForModel('')).to.equal('');
    expect(formatOutputForModel('42\n')).to.equal('42\n');
    expect(formatOutputForModel(seq(256))).to.equal(seq(256));
    const tenKiB = `${'y'.repeat(10 * 1024 - 1)}\n`;
    expect(formatOutputForModel(tenKiB)).to.equal(tenKiB);
  });

  it('shortens from 257 lines on', () => {
    const out = formatOutputForModel(seq(257));
    expect(out).to.contain('\n128\n[... omitted 1 of 257 lines ...]\n\n130\n');
    expect(out.endsWith('\n257')).to.equal(true);
  });

  it('keeps each half within 5 KiB and the whole within 10 KiB', () => {
    const line = 'z'.repeat(99);
    const out = formatOutputForModel(Array.from({ length: 1000 }, () => line).join('\n'));
    const [head, tail] = out.split(/\n\[\.\.\. omitted \d+ of 1000 lines \.\.\.\]\n\n/);
    expect(out).to.contain('[... omitted 744 of 1000 lines ...]');
    expect(Buffer.byteLength(head)).to.equal(5120);
    expect(Buffer.byteLength(tail)).to.be.at.most(5120);
    expect(Buffer.byteLength(out)).to.be.at.most(10 * 1024);
  });

  it('never splits a UTF-8 character', () => {
    const out = formatOutputForModel('é'.repeat(6000));
    expect(out).to.equal(`${'é'.repeat(2560)}\n[... omitted 0 of 1 lines ...]\n\n`);
    const mixed = formatOutputForModel(`a${'€'.repeat(4000)}\n`.repeat(300));
    expect(mixed).not.to.contain('\uFFFD');
  });

  it('counts CRLF as one line end and drops the CR like 0.29', () => {
    const out = formatOutputForModel(seq(300).replace(/\n/g, '\r\n'));
    expect(out).to.contain('[... omitted 44 of 300 lines ...]');
    expect(out).not.to.contain('\r');
  });
});

describe('exec: tool output JSON and durations', () => {
  it('prints the duration with one decimal, also for whole seconds', () => {
    expect(toolOutputJson('42\n', 0, 40)).to.equal('{"output":"42\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}');
    expect(toolOutputJson('42\n', 0, 120)).to.equal('{"output":"42\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}');
    expect(toolOutputJson('', 1, 2000)).to.equal('{"output":"","metadata":{"exit_code":1,"duration_seconds":2.0}}');
    expect(toolOutputJson('', 0, 12_345)).to.contain('"duration_seconds":12.3}');
    expect(toolOutputJson('', 0, 1250)).to.contain('"duration_seconds":1.3}');
  });

  it('escapes the output as JSON and parses back', () => {
    const text = 'quote " backslash \\ tab \t bell \u0007 é\n';
    const parsed = JSON.parse(toolOutputJson(text, -1, 99));
    expect(parsed).to.deep.equal({ output: text, metadata: { exit_code: -1, duration_seconds: 0.1 } });
  });

  it('splits durations into secs and nanos', () => {
    expect(durationParts(0)).to.deep.equal({ secs: 0, nanos: 0 });
    expect(durationParts(1500.5)).to.deep.equal({ secs: 1, nanos: 500_500_000 });
    expect(durationParts(10_150)).to.deep.equal({ secs: 10, nanos: 150_000_000 });
  });

  it('words sandbox failures like 0.29', () => {
    expect(sandboxDeniedError(1, '', 'touch: x\n')).to.equal('sandbox denied exec error, exit code: 1, stdout: , stderr: touch: x\n');
    expect(sandboxDeniedOutput(1, '', "touch: cannot touch 'a.txt': Permission denied\n")).to.equal(
      "failed in sandbox LinuxSeccomp with execution error: sandbox denied exec error, exit code: 1, stdout: , stderr: touch: cannot touch 'a.txt': Permission denied\n",
    );
    expect(timeoutOutput(false)).to.equal('failed in sandbox None with execution error: command timed out');
    expect(timeoutOutput(true)).to.equal('failed in sandbox LinuxSeccomp with execution error: command timed out');
  });
});
