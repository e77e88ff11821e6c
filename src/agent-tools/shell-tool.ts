import type { AgentTool } from '../conversations/agent-tool';
import type { ModelTool } from '../model/model-events';
import type { ShellToolDeps } from './shell-deps';

export type { ShellToolDeps } from './shell-deps';

const BASE_PROPERTIES = {
  command: { type: 'array', items: { type: 'string' }, description: 'The command and its arguments, run without a shell' },
  timeout_ms: { type: 'number', description: 'Milliseconds before the command is killed' },
  workdir: { type: 'string', description: 'Directory to run the command in' },
};

/** The `shell` function as offered to the model (names and schema as 0.29 sends them; our wording). */
export function shellSpec(onRequest: boolean): ModelTool {
  if (!onRequest) {
    return {
      name: 'shell',
      description: 'Runs a command and returns its output',
      strict: false,
      parameters: { type: 'object', properties: BASE_PROPERTIES, required: ['command'], additionalProperties: false },
    };
  }
  return {
    name: 'shell',
    description:
      'Runs a command and returns its output. Commands run in a sandbox that limits writes to the workspace and blocks the network. ' +
      'When a command needs more (writing elsewhere, the network), set with_escalated_permissions and say why in justification; the user is asked first.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        ...BASE_PROPERTIES,
        with_escalated_permissions: { type: 'boolean', description: 'Run without the sandbox (the user is asked first)' },
        justification: { type: 'string', description: 'Why the command needs to run without the sandbox; shown to the user' },
      },
      required: ['command'],
      additionalProperties: false,
    },
  };
}

/** The call handling, loaded on the first call (see shell-run.ts). */
function run(): typeof import('./shell-run') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  return require('./shell-run') as typeof import('./shell-run');
}

/**
 * The `shell` tool: runs commands (or applies patches sent as `["apply_patch", patch]` or a
 * `bash -lc` heredoc) under the turn's approval policy and sandbox, as APPROVAL.md's table
 * says, asking the client through the exec and patch elicitation plugins.
 */
export function createShellTool(deps: ShellToolDeps): AgentTool {
  return {
    name: 'shell',
    order: 10,
    spec: (settings) => shellSpec(settings.approvalPolicy === 'on-request'),
    handle: (call, ctx) => run().runShellCall(deps, call, ctx),
  };
}

/** The `apply_patch` function tool (`{input}`), offered with includeApplyPatchTool on the Responses API. */
export function createApplyPatchTool(deps: ShellToolDeps): AgentTool {
  return {
    name: 'apply_patch',
    order: 15,
    spec: (settings) =>
      settings.includeApplyPatchTool && settings.provider.wireApi === 'responses'
        ? {
            name: 'apply_patch',
            description: 'Edits files with a patch in the apply_patch format (*** Begin Patch ... *** End Patch).',
            strict: false,
            parameters: { type: 'object', properties: { input: { type: 'string', description: 'The whole patch' } }, required: ['input'], additionalProperties: false },
          }
        : undefined,
    handle: (call, ctx) => run().runApplyPatchCall(deps, call, ctx),
  };
}
