import type { AgentwirePlugin } from '../plugin';
import { authPlugin } from './auth.plugin';
import { conversationsPlugin } from './conversations.plugin';
import { execApprovalPlugin } from './exec-approval.plugin';
import { patchApprovalPlugin } from './patch-approval.plugin';
import { shellPlugin } from './shell.plugin';
import { codexToolsPlugin } from './codex-tools.plugin';
import { mcpCorePlugin } from './mcp-core.plugin';
import { demoModelPlugin } from './demo-model.plugin';
import { tasksPlugin } from './tasks.plugin';
import { resourcesPlugin } from './resources.plugin';

/** Built-in features, loaded through the same interface as third-party plugins. */
export const BUILTIN_PLUGINS: readonly AgentwirePlugin[] = [
  mcpCorePlugin,
  authPlugin,
  conversationsPlugin,
  execApprovalPlugin,
  patchApprovalPlugin,
  shellPlugin,
  codexToolsPlugin,
  resourcesPlugin,
  tasksPlugin,
  demoModelPlugin,
];
