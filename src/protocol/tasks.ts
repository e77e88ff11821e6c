import { Describe, SchemaExtra } from './schema-meta';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString } from './validators';

/**
 * MCP tasks (issue 13): 2025-11-25's `tasks/*` methods in the handshake era and the tasks
 * extension (`io.modelcontextprotocol/tasks`) in the modern era. One task, two wire shapes; the
 * result classes list the members of both (src/tasks/task-shapes.ts maps a record to each).
 */

/** `tasks/get`, `tasks/result`, `tasks/cancel` (both revisions): `{taskId}`. */
export class TaskIdParams {
  @IsString() taskId!: string;
}

/** Tasks extension `tasks/update`: answers to the task's `inputRequests`, by key. */
export class TaskUpdateParams {
  @IsString() taskId!: string;
  @IsDefined() @IsObject() inputResponses!: Record<string, unknown>;
}

/** 2025-11-25 `tasks/list`: an opaque cursor from the previous page. */
export class TaskListParams {
  @IsOptional() @IsString() cursor?: string;
}

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;

/**
 * A task as either revision shows it: 2025-11-25 `Task` (`ttl`, `pollInterval`) or the
 * extension's `Task` / `DetailedTask` (`ttlMs`, `pollIntervalMs`, and inline `inputRequests`,
 * `result` or `error` by status; `resultType` on a modern result). Members are optional in the
 * type because the mappers build them by era.
 */
@Describe("A task (2025-11-25 `Task`, or the tasks extension's `Task` / `DetailedTask`).")
export class TaskResult {
  [member: string]: unknown;
  @IsOptional() @IsString() taskId?: string;
  @IsOptional() @IsIn(TASK_STATUSES) status?: string;
  @IsOptional() @IsString() statusMessage?: string;
  @IsOptional() @IsString() createdAt?: string;
  @IsOptional() @IsString() lastUpdatedAt?: string;
  @Describe('2025-11-25: milliseconds the task is kept.') @IsOptional() @IsInt() ttl?: number | null;
  @IsOptional() @IsInt() pollInterval?: number;
  @Describe('Tasks extension: milliseconds the task is kept.') @IsOptional() @IsInt() ttlMs?: number | null;
  @IsOptional() @IsInt() pollIntervalMs?: number;
  @IsOptional() @IsObject() inputRequests?: Record<string, unknown>;
  @IsOptional() @IsObject() result?: Record<string, unknown>;
  @IsOptional() @IsObject() error?: Record<string, unknown>;
  @IsOptional() @IsString() resultType?: string;
  @Describe('2025-11-25 `CreateTaskResult`: the task, wrapped.') @IsOptional() @IsObject() task?: Record<string, unknown>;
}

/** 2025-11-25 `tasks/list` result. */
export class TaskListResult {
  [member: string]: unknown;
  @SchemaExtra({ items: { $ref: '#/$defs/TaskResult' } }) @IsOptional() @IsObject({ each: true }) tasks?: unknown[];
  @IsOptional() @IsString() nextCursor?: string;
}
