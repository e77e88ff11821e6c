import { IsIn } from '../validation/class-validator';
import { MCP_LOG_LEVELS, type McpLogLevel } from '../logging/client-log-sink';

/** MCP `logging/setLevel` params. */
export class LoggingSetLevelParams {
  @IsIn(MCP_LOG_LEVELS) level!: McpLogLevel;
}
