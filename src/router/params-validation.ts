import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from '../validation/class-validator';
import { isRecord } from './envelope';
import { InvalidParamsError } from './errors';
import type { MethodMetadata } from './method.decorator';

const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Copies JSON without the keys that could reach an object's prototype when class-transformer assigns them. */
function withoutDangerousKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDangerousKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!DANGEROUS_KEYS.has(key)) out[key] = withoutDangerousKeys(child);
  }
  return out;
}

/** Nest-style flattening: `parent.child: message` for every failed constraint, depth first. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const text of Object.values(error.constraints ?? {})) {
      // class-validator starts each message with the property name; keep only the rule.
      const rule = text.startsWith(`${error.property} `) ? text.slice(error.property.length + 1) : text;
      out.push(`${path}: ${rule}`);
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

/**
 * Turns raw params into the handler's params object: `_meta` is taken off (the router reads it apart),
 * unknown members are stripped (codex ignores them, WIRE.md §5), and a failure is -32602
 * naming each bad field.
 */
export function prepareParams(meta: MethodMetadata, raw: unknown): { params: unknown } {
  const present = raw !== undefined && raw !== null;
  if (!meta.params) return { params: raw };

  if (!present && meta.paramsRequired) {
    throw new InvalidParamsError(`Invalid params: ${meta.name} requires a params object`, ['params: required']);
  }
  if (present && !isRecord(raw)) {
    throw new InvalidParamsError(`Invalid params: ${meta.name} takes a params object`, ['params: must be an object']);
  }
  const plain = withoutDangerousKeys(present ? raw : {}) as Record<string, unknown>;
  delete plain._meta;
  const empty = isEmpty(plain);
  // Params without members (`{}`, or only `_meta`: most tools/list, getAuthStatus, ping-like
  // requests) always validate the same way for a given class, so the first answer is kept: the
  // validation was ~40 µs of such a request's ~75 µs of server CPU. Where the transform of `{}`
  // gave an instance without own members (no `@Expose`d field set to undefined), a plain `new` of
  // the class is the same object, and is what is then built.
  const known = empty ? emptyOutcome.get(meta.params) : undefined;
  if (known === 'bare') return { params: new meta.params() };
  const instance = plainToInstance<object, Record<string, unknown>>(meta.params, plain);
  if (known === 'valid') return { params: instance };
  const keysBefore = empty ? Object.keys(instance).join() : '';
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: true });
  // Kept only when validating changed nothing (whitelist stripped no initialised field).
  if (empty && errors.length === 0 && Object.keys(instance).join() === keysBefore) emptyOutcome.set(meta.params, keysBefore === '' ? 'bare' : 'valid');
  if (errors.length > 0) {
    const list = flattenValidationErrors(errors);
    throw new InvalidParamsError(`Invalid params: ${list.join('; ')}`, list);
  }
  return { params: instance };
}

/** Params classes that `{}` is known to pass unchanged: `bare` when its instance has no own members either. */
const emptyOutcome = new WeakMap<object, 'valid' | 'bare'>();

function isEmpty(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}
