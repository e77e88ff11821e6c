/**
 * The class-validator decorators the protocol declarations use, loaded from their own modules (as
 * src/validation/class-validator.ts does, for the same start-up reason: the package index loads
 * every validator it has). Kept here so that src/protocol/ imports nothing from the rest of src/.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- literal paths, so the bundler finds them */
import type * as CV from 'class-validator';

export const IsOptional: typeof CV.IsOptional = (require('class-validator/cjs/decorator/common/IsOptional') as typeof CV).IsOptional;
export const IsDefined: typeof CV.IsDefined = (require('class-validator/cjs/decorator/common/IsDefined') as typeof CV).IsDefined;
export const ValidateNested: typeof CV.ValidateNested = (require('class-validator/cjs/decorator/common/ValidateNested') as typeof CV).ValidateNested;
export const IsString: typeof CV.IsString = (require('class-validator/cjs/decorator/typechecker/IsString') as typeof CV).IsString;
export const IsBoolean: typeof CV.IsBoolean = (require('class-validator/cjs/decorator/typechecker/IsBoolean') as typeof CV).IsBoolean;
export const IsObject: typeof CV.IsObject = (require('class-validator/cjs/decorator/typechecker/IsObject') as typeof CV).IsObject;
export const IsArray: typeof CV.IsArray = (require('class-validator/cjs/decorator/typechecker/IsArray') as typeof CV).IsArray;
