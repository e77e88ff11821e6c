import { Type } from 'class-transformer';
import { Describe, SchemaExtra, SchemaIs, STRING_OR_INTEGER } from './schema-meta';
import { MCP_LOG_LEVELS, type McpLogLevel } from './values';
import { IsArray, IsBoolean, IsDefined, IsIn, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from './validators';

/**
 * MCP's shapes that both MCP eras share or that the handshake era adds (WIRE.md §3, §4): the
 * `initialize` handshake, `tools/list`, `tools/call` results, logging and progress.
 */

export * from './mcp-params';

// ---- results -------------------------------------------------------------------------------

/** A result with no members (`{}`). */
export class EmptyResult {}

export class ImplementationInfo {
  @IsString() name!: string;
  @IsString() version!: string;
  @IsOptional() @IsString() title?: string;
}

export class InitializeResult {
  @IsString() protocolVersion!: string;
  @IsObject() capabilities!: Record<string, unknown>;
  @ValidateNested() @Type(() => ImplementationInfo) serverInfo!: ImplementationInfo;
}

/** One tool of `tools/list` (MCP `Tool`). */
export class ToolDescription {
  @IsString() name!: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() description?: string;
  @Describe('JSON Schema of the arguments.') @IsObject() inputSchema!: Record<string, unknown>;
  @Describe('JSON Schema of `structuredContent`.') @IsOptional() @IsObject() outputSchema?: Record<string, unknown>;
  @IsOptional() @IsObject() annotations?: Record<string, unknown>;
  @Describe('2025-11-25 tasks: `{taskSupport}`, for clients that negotiated that version.') @IsOptional() @IsObject() execution?: Record<string, unknown>;
}

export class ToolsListResult {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ToolDescription) tools!: ToolDescription[];
  @IsOptional() @IsString() nextCursor?: string;
}

/** MCP `CallToolResult`; `structuredContent` of `codex` / `codex-reply` is CodexToolResult. */
export class CallToolResult {
  @SchemaExtra({ items: { type: 'object' } }) @IsArray() content!: Array<Record<string, unknown>>;
  @IsOptional() @IsObject() structuredContent?: Record<string, unknown>;
  @IsOptional() @IsBoolean() isError?: boolean;
  @IsOptional() @IsObject() _meta?: Record<string, unknown>;
}

/** `notifications/message` params (MCP logging). */
export class LogMessageParams {
  @IsIn(MCP_LOG_LEVELS) level!: McpLogLevel;
  @IsOptional() @IsString() logger?: string;
  @SchemaIs({}) @IsDefined() data!: unknown;
}

/** `notifications/progress` params. */
export class ProgressParams {
  @SchemaIs(STRING_OR_INTEGER) @IsDefined() progressToken!: string | number;
  @IsNumber() progress!: number;
  @IsOptional() @IsNumber() total?: number;
  @IsOptional() @IsString() message?: string;
}
