import { IsObject, IsOptional, IsString } from '../validation/class-validator';

/** MCP `tools/call` params; the arguments are checked against the tool's own input schema. */
export class ToolsCallParams {
  @IsString() name!: string;
  @IsOptional() @IsObject() arguments?: Record<string, unknown>;
}
