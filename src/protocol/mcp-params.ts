import { Type } from 'class-transformer';
import { SchemaIs, STRING_OR_INTEGER } from './schema-meta';
import { MCP_LOG_LEVELS, type McpLogLevel } from './values';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, ValidateNested } from './validators';

/**
 * The params of MCP's requests and notifications that both MCP eras share or that the handshake
 * era adds (WIRE.md §3, §4): `initialize`, `tools/list`, logging and cancellation. Apart from the
 * shapes agentwire only sends (mcp.ts, which re-exports these), which load when the schema
 * generator asks: `initialize` needs only these before its reply.
 */

// ---- params --------------------------------------------------------------------------------

export class ClientInfoParams {
  @IsString() name!: string;
  @IsString() version!: string;
  @IsOptional() @IsString() title?: string;
}

/** MCP `initialize` params (WIRE.md §3.1). */
export class InitializeParams {
  @IsString() protocolVersion!: string;
  @IsOptional() @IsObject() capabilities?: Record<string, unknown>;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ClientInfoParams) clientInfo!: ClientInfoParams;
}

/** MCP `tools/list` params: an optional pagination cursor. */
export class ToolsListParams {
  @IsOptional() @IsString() cursor?: string;
}

/** MCP `logging/setLevel` params. */
export class LoggingSetLevelParams {
  @IsIn(MCP_LOG_LEVELS) level!: McpLogLevel;
}

/** MCP `notifications/cancelled` params. */
export class CancelledNotificationParams {
  @SchemaIs(STRING_OR_INTEGER) @IsDefined() requestId!: string | number;
  @IsOptional() @IsString() reason?: string;
}
