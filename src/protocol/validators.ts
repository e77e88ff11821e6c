/**
 * The class-validator decorators the protocol declarations use, loaded from their own modules.
 *
 * The package's index loads every decorator it has, libphonenumber's metadata among them, which
 * took about 50 ms of the server's start-up; the few modules below take about 6 ms. Same
 * functions, same global metadata storage: only the loading is narrower. Kept here, in
 * src/protocol/, so that the declarations import nothing from the rest of src/; the rest of src/
 * imports them through src/validation/class-validator.ts.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- literal paths, so the bundler finds them */
import type * as CV from 'class-validator';

export type { ValidationError, ValidationOptions } from 'class-validator';

export const IsOptional: typeof CV.IsOptional = (require('class-validator/cjs/decorator/common/IsOptional') as typeof CV).IsOptional;
export const IsDefined: typeof CV.IsDefined = (require('class-validator/cjs/decorator/common/IsDefined') as typeof CV).IsDefined;
export const IsIn: typeof CV.IsIn = (require('class-validator/cjs/decorator/common/IsIn') as typeof CV).IsIn;
export const Equals: typeof CV.Equals = (require('class-validator/cjs/decorator/common/Equals') as typeof CV).Equals;
export const ValidateNested: typeof CV.ValidateNested = (require('class-validator/cjs/decorator/common/ValidateNested') as typeof CV).ValidateNested;
export const ValidateBy: typeof CV.ValidateBy = (require('class-validator/cjs/decorator/common/ValidateBy') as typeof CV).ValidateBy;
export const IsString: typeof CV.IsString = (require('class-validator/cjs/decorator/typechecker/IsString') as typeof CV).IsString;
export const IsBoolean: typeof CV.IsBoolean = (require('class-validator/cjs/decorator/typechecker/IsBoolean') as typeof CV).IsBoolean;
export const IsObject: typeof CV.IsObject = (require('class-validator/cjs/decorator/typechecker/IsObject') as typeof CV).IsObject;
export const IsArray: typeof CV.IsArray = (require('class-validator/cjs/decorator/typechecker/IsArray') as typeof CV).IsArray;
export const IsInt: typeof CV.IsInt = (require('class-validator/cjs/decorator/typechecker/IsInt') as typeof CV).IsInt;
export const IsNumber: typeof CV.IsNumber = (require('class-validator/cjs/decorator/typechecker/IsNumber') as typeof CV).IsNumber;
export const IsUUID: typeof CV.IsUUID = (require('class-validator/cjs/decorator/string/IsUUID') as typeof CV).IsUUID;
export const Min: typeof CV.Min = (require('class-validator/cjs/decorator/number/Min') as typeof CV).Min;
export const Max: typeof CV.Max = (require('class-validator/cjs/decorator/number/Max') as typeof CV).Max;

const { Validator } = require('class-validator/cjs/validation/Validator') as { Validator: new () => CV.Validator };
const validator = new Validator();

/** class-validator's validateSync, from the narrow load above. */
export function validateSync(object: object, options?: CV.ValidatorOptions): CV.ValidationError[] {
  return validator.validateSync(object, options);
}

/** The part of class-validator's global rule storage that {@link rememberRuleLookups} wraps. */
interface RuleStorage {
  addValidationMetadata(metadata: unknown): void;
  getTargetValidationMetadatas(target: object, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): unknown[];
}

/**
 * class-validator looks a class's rules up again at every validation, and the lookup walks every
 * class that has rules (an `instanceof` per class, for inherited rules): with the protocol's
 * hundreds of params classes, that walk was the largest part of validating a request's params.
 * Rules are only added while classes are being defined, so the answer for a class (and schema
 * name, which class-validator passes for nested objects) is kept until a rule is added anywhere.
 * Only lookups without groups, `always` or `strictGroups` are kept: the only ones agentwire makes.
 * The answer is the array the lookup gave, which the validator only reads. Wrapped here because
 * class-validator has no way to precompute its lookups.
 */
function rememberRuleLookups(storage: RuleStorage): void {
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let known = new Map<object, Map<string | undefined, unknown[]>>();
  storage.addValidationMetadata = (metadata) => {
    known = new Map();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (always || strictGroups || (groups && groups.length > 0)) return lookUp(target, schema, always, strictGroups, groups);
    let bySchema = known.get(target);
    if (!bySchema) known.set(target, (bySchema = new Map()));
    let rules = bySchema.get(schema);
    if (!rules) {
      rules = lookUp(target, schema, always, strictGroups, groups);
      bySchema.set(schema, rules);
    }
    return rules;
  };
}

rememberRuleLookups((require('class-validator/cjs/metadata/MetadataStorage') as { getMetadataStorage(): RuleStorage }).getMetadataStorage());
