import { IsBoolean, IsOptional } from '../validation/class-validator';

/** `getAuthStatus` params (WIRE.md §5.7); the object itself is required. */
export class GetAuthStatusParams {
  @IsOptional() @IsBoolean() includeToken?: boolean;
  @IsOptional() @IsBoolean() refreshToken?: boolean;
}
