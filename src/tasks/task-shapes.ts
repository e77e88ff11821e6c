import type { TaskRecord } from './task-record';
import type { TaskView } from './task-store';

/** `_meta` key that ties a message to a task in 2025-11-25. */
export const RELATED_TASK_KEY = 'io.modelcontextprotocol/related-task';
/** The tasks extension of the modern era. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/**
 * The era mappers: one task, two wire shapes (MCP-2026.md §6). Nothing else differs between the
 * eras' task methods.
 */

function baseFields(record: TaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { taskId: record.taskId, status: record.status };
  if (record.statusMessage !== undefined) out.statusMessage = record.statusMessage;
  out.createdAt = record.createdAt;
  out.lastUpdatedAt = record.lastUpdatedAt;
  return out;
}

/**
 * 2025-11-25 `Task`: `ttl` and `pollInterval`, no result inline (that is `tasks/result`). That
 * revision counts a tool result with `isError: true` as `failed` (the extension: `completed`).
 */
export function handshakeTask(record: TaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...baseFields(record), ttl: record.ttlMs, pollInterval: record.pollIntervalMs };
  if (record.status === 'completed' && record.result?.isError === true) out.status = 'failed';
  return out;
}

/** Tasks extension `Task` (the flat `CreateTaskResult` adds `resultType: "task"`). */
export function modernTask(record: TaskRecord): Record<string, unknown> {
  return { ...baseFields(record), ttlMs: record.ttlMs, pollIntervalMs: record.pollIntervalMs };
}

/** Tasks extension `DetailedTask`: the status-specific member inline (`tasks/get`, `notifications/tasks`). */
export function modernDetailedTask(view: TaskView): Record<string, unknown> {
  const out = modernTask(view.record);
  const { record } = view;
  if (record.status === 'input_required') out.inputRequests = view.inputRequests ?? {};
  if (record.status === 'completed') out.result = record.result ?? { content: [] };
  if (record.status === 'failed') out.error = record.error ?? { code: -32603, message: 'the task failed' };
  return out;
}

/** Whether a modern request declared the tasks extension in its own capabilities. */
export function declaresTasks(capabilities: Record<string, unknown> | undefined): boolean {
  const extensions = capabilities?.extensions;
  if (typeof extensions !== 'object' || extensions === null) return false;
  const entry = (extensions as Record<string, unknown>)[TASKS_EXTENSION];
  return typeof entry === 'object' && entry !== null;
}
