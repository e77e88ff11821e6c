import type { Logger } from '../logging/logger';
import type { ProcessGroups } from '../process/process-groups';

/**
 * Runs config `notify` at the end of every completed turn, as 0.29 does: the argv plus one more
 * argument, a JSON object describing the turn (CONFIG.md §2). Fire and forget; the process is
 * tracked so it still ends with the server.
 */
export function runTurnNotify(argv: string[], turn: { submissionId: string; inputMessages: string[]; lastAgentMessage: string | null }, groups: ProcessGroups, log: Logger): void {
  if (argv.length === 0) return;
  const payload = JSON.stringify({
    type: 'agent-turn-complete',
    'turn-id': turn.submissionId,
    'input-messages': turn.inputMessages,
    'last-assistant-message': turn.lastAgentMessage,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  try {
    const child = spawn(argv[0], [...argv.slice(1), payload], { detached: true, stdio: 'ignore' });
    child.on('error', (err) => log.warn({ reason: err.message }, 'notify program failed to start'));
    groups.track(child);
    child.unref();
  } catch (err) {
    log.warn({ reason: (err as Error).message }, 'notify program failed to start');
  }
}
