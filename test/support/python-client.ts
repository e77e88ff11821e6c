import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, from build/test/support. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * The Python that has the official MCP client (`mcp` 2.3.0): the virtual environment that
 * scripts/python-client-venv.sh makes (.ci/run calls it), at $AGENTWIRE_PY_VENV or .venv-mcp/.
 * Returns the interpreter, or why it cannot be used (the tests skip with that reason).
 */
export function findPythonClient(): { python: string } | { reason: string } {
  const venv = process.env.AGENTWIRE_PY_VENV ?? join(REPO_ROOT, '.venv-mcp');
  const python = join(venv, 'bin', 'python');
  const hint = 'make it with scripts/python-client-venv.sh';
  if (!existsSync(python)) return { reason: `no Python virtual environment at ${venv} (${hint})` };
  const probe = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("mcp"))'], { encoding: 'utf8' });
  if (probe.status !== 0) return { reason: `the Python in ${venv} has no mcp package (${hint})` };
  if (probe.stdout.trim() !== '2.3.0') return { reason: `${venv} has mcp ${probe.stdout.trim()}, these tests are for 2.3.0 (${hint})` };
  return { python };
}

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Python program to its end, feeding `input` on its stdin. */
export function runPython(python: string, args: string[], options: { cwd?: string; env: Record<string, string | undefined>; input?: string }): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(python, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
    proc.stdin.on('error', () => undefined);
    proc.stdin.end(options.input ?? '');
  });
}

/** stderr lines that are not agentwire's own JSON log records: what the Python side printed. */
export function clientStderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });
}
