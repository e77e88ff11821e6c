import { FILE_CHANGES_SCHEMA, type FileChange } from './file-change';
import { Describe, SchemaExtra } from './schema-meta';
import { IsArray, IsIn, IsObject, IsOptional, IsString } from './validators';

/** The server's approval requests to the client (WIRE.md §8). */

/** `execCommandApproval` params (WIRE.md §8.1). */
export class ExecCommandApprovalParams {
  @IsString() conversation_id!: string;
  @IsString() call_id!: string;
  @IsArray() @IsString({ each: true }) command!: string[];
  @IsString() cwd!: string;
  @IsOptional() @IsString() reason?: string;
}

/** `applyPatchApproval` params (WIRE.md §8.2). */
export class ApplyPatchApprovalParams {
  @IsString() conversation_id!: string;
  @IsString() call_id!: string;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsObject() file_changes!: Record<string, FileChange>;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() grant_root?: string;
}

/**
 * `elicitation/create` params of a `codex` tool call's approval (WIRE.md §8.3): MCP's form
 * elicitation plus codex's `codex_*` members, which say what is being approved.
 */
export class CodexElicitationParams {
  @IsString() message!: string;
  @Describe('A form with one `decision` field.') @IsObject() requestedSchema!: Record<string, unknown>;
  @IsIn(['exec-approval', 'patch-approval']) codex_elicitation!: 'exec-approval' | 'patch-approval';
  @Describe('The id of the tools/call this approval belongs to.') @IsString() codex_mcp_tool_call_id!: string;
  @IsString() codex_event_id!: string;
  @IsString() codex_call_id!: string;
  @IsOptional() @IsArray() @IsString({ each: true }) codex_command?: string[];
  @IsOptional() @IsString() codex_cwd?: string;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsOptional() @IsObject() codex_changes?: Record<string, FileChange>;
  @IsOptional() @IsString() codex_reason?: string;
  @IsOptional() @IsString() codex_grant_root?: string;
  @Describe('2025-11-25 tasks: `io.modelcontextprotocol/related-task` when the turn runs as a task.') @IsOptional() @IsObject() _meta?: Record<string, unknown>;
}

/** MCP's `ElicitResult`, or codex's `{decision}` (both are read, WIRE.md §8.3). */
export class ElicitationResult {
  @IsOptional() @IsIn(['accept', 'decline', 'cancel']) action?: 'accept' | 'decline' | 'cancel';
  @IsOptional() @IsObject() content?: Record<string, unknown>;
  @IsOptional() @IsString() decision?: string;
}
