import { IsDefined, IsObject, IsOptional, IsString } from '../protocol/validators';

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
