import type { SandboxPolicy } from '../config/conversation-settings';
import type { SandboxPolicyParams } from '../protocol/codex-params';

/** The wire SandboxPolicy as the engine's type (only the members of its mode). */
export function toSandboxPolicy(p: SandboxPolicyParams): SandboxPolicy {
  if (p.mode !== 'workspace-write') return { mode: p.mode };
  return {
    mode: 'workspace-write',
    writable_roots: p.writable_roots ?? [],
    network_access: p.network_access ?? false,
    exclude_tmpdir_env_var: p.exclude_tmpdir_env_var ?? false,
    exclude_slash_tmp: p.exclude_slash_tmp ?? false,
  };
}
