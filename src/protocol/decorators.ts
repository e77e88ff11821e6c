/**
 * The class-validator decorators the declarations in src/protocol/ use, loaded from their own
 * modules (the package index loads every validator it has, which start-up should not pay for;
 * see src/validation/class-validator.ts). Here so that src/protocol/ imports nothing from the
 * rest of src/.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- literal paths, so the bundler finds them */
import type * as CV from 'class-validator';

export const IsOptional: typeof CV.IsOptional = (require('class-validator/cjs/decorator/common/IsOptional') as typeof CV).IsOptional;
export const IsString: typeof CV.IsString = (require('class-validator/cjs/decorator/typechecker/IsString') as typeof CV).IsString;
export const IsInt: typeof CV.IsInt = (require('class-validator/cjs/decorator/typechecker/IsInt') as typeof CV).IsInt;
export const Min: typeof CV.Min = (require('class-validator/cjs/decorator/number/Min') as typeof CV).Min;
export const IsUUID: typeof CV.IsUUID = (require('class-validator/cjs/decorator/string/IsUUID') as typeof CV).IsUUID;
