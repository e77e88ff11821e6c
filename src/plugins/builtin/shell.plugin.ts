import type { ShellToolDeps } from '../../agent-tools/shell-deps';
import { createApplyPatchTool, createShellTool } from '../../agent-tools/shell-tool';
import { SANDBOX_PROBE } from '../../exec/sandbox-probe';
import { PROCESS_GROUPS } from '../../process/process-groups';
import type { AgentwirePlugin } from '../plugin';

/** How long after start-up the sandbox check runs: after the handshake, so it does not delay it. */
const PROBE_DELAY_MS = 200;

/**
 * The `shell` (and `apply_patch`) agent tools: commands and patches under the approval policy and
 * the bubblewrap sandbox, with approvals asked through the exec and patch elicitation plugins.
 */
export const shellPlugin: AgentwirePlugin = {
  name: 'agentwire:shell',
  dependsOn: ['agentwire:exec-approval', 'agentwire:patch-approval'],
  register(ctx) {
    // Built on first use: the exec code pulls in child_process, which start-up does not need.
    const getProbe = ctx.resolve(SANDBOX_PROBE);
    const deps: ShellToolDeps = {
      home: ctx.config.home,
      groups: ctx.resolve(PROCESS_GROUPS),
      probe: getProbe,
      approvals: (kind) => ctx.elicitationFor(kind),
    };
    ctx.agentTool(createShellTool(deps));
    ctx.agentTool(createApplyPatchTool(deps));
    // Find out early whether bubblewrap can run here, without holding up the handshake; the
    // first sandboxed command waits for the same (cached) answer if it comes first. Not when the
    // configured mode needs no sandbox (danger-full-access): then the check (bwrap run, ~7 ms of
    // the server's CPU, landing on the first turn) waits for a conversation that asks for one.
    if (ctx.config.tree.sandbox_mode === 'danger-full-access') return;
    const timer = setTimeout(() => {
      void getProbe()
        .probe()
        .then((r) => {
          if (!r.available) ctx.log.warn({ reason: r.reason }, 'sandbox unavailable: commands that need it will not run');
        });
    }, PROBE_DELAY_MS);
    timer.unref();
    ctx.onClose(() => clearTimeout(timer));
  },
};
