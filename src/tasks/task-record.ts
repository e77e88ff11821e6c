import type { CallToolResult } from '../mcp/tool-registry';

/** The five statuses of both task revisions: `working` ⇄ `input_required` → `completed` | `failed` | `cancelled`. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Which protocol created the task: its shapes are mapped by era, the task itself is the same. */
export type TaskEra = 'modern' | 'handshake';

/**
 * The process that runs a task: its pid, the kernel boot it ran in, and its start time in clock
 * ticks after boot (/proc/<pid>/stat field 22). A pid alone can be reused after a crash; the three
 * together name one process.
 */
export interface TaskOwner {
  pid: number;
  boot?: string;
  start?: string;
}

/** A JSON-RPC error object, as a failed task carries it. */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * What is written to `<home>/tasks/<taskId>.json`: everything `tasks/get` needs after a restart.
 * Pending approvals live only in the process (a task whose process died fails), and the
 * transcript stays in the rollout.
 */
export interface TaskRecord {
  v: 1;
  taskId: string;
  era: TaskEra;
  tool: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** From creation; null = unlimited. A task still running when it passes is kept until it ends. */
  ttlMs: number | null;
  pollIntervalMs: number;
  owner: TaskOwner;
  /** `completed`: the tool's result as the era's plain call returns it. */
  result?: CallToolResult;
  /** `failed`: the JSON-RPC error. */
  error?: TaskError;
}

/** When a terminal task may be removed (ms since the epoch), or undefined for never. */
export function expiryOf(record: TaskRecord): number | undefined {
  if (record.ttlMs === null) return undefined;
  return Date.parse(record.createdAt) + record.ttlMs;
}
