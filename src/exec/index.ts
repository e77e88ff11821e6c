/**
 * Command execution for the `shell` tool: running a command (optionally inside bubblewrap), and the
 * texts the model and the client get about it.
 */
export { runCommand, MAX_CAPTURE_BYTES, type RunCommandOptions, type ExecResult, type OutputStream } from './run-command';
export {
  SandboxProbe,
  runSandboxed,
  buildSandboxedArgv,
  networkDisabled,
  commandEnvironment,
  isSandboxDenial,
  BWRAP_MISSING_REASON,
  type SandboxPlan,
  type SandboxProbeResult,
  type SandboxProbeOptions,
  type SandboxArgvOptions,
} from './sandbox';
export { formatOutputForModel, toolOutputJson, durationParts, sandboxDeniedError, sandboxDeniedOutput, timeoutOutput } from './format-output';
