import { IsOptional, IsString } from '../validation/class-validator';

/** MCP `tools/list` params: an optional pagination cursor. */
export class ToolsListParams {
  @IsOptional() @IsString() cursor?: string;
}
