import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsString, ValidateNested } from '../validation/class-validator';

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
