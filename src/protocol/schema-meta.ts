/**
 * JSON Schema facts that class-validator's decorators cannot state: a description, and a schema
 * fragment for what validation does not cover (a nullable member, a map's value type, a result
 * member that is never validated). Stored as plain metadata under a registry symbol; only the
 * schema generator (scripts/protocol-schema.js, at build time) reads it, so the server never loads
 * a JSON Schema library.
 */
export const SCHEMA_META = Symbol.for('agentwire:schema');

export type SchemaFragment = Record<string, unknown>;

export interface PropertySchemaMeta {
  description?: string;
  /** Merged over what the generator derived from the validators. */
  extra?: SchemaFragment;
  /** Replaces what the generator derived (e.g. `anyOf` for a nullable member). */
  replace?: SchemaFragment;
  /** Listed in `required` (for a member with no validator, whose presence the validators cannot state). */
  required?: boolean;
}

type Store = Map<string, PropertySchemaMeta>;

function store(target: object): Store {
  const ctor = (typeof target === 'function' ? target : target.constructor) as object;
  let map = Reflect.getOwnMetadata(SCHEMA_META, ctor) as Store | undefined;
  if (!map) {
    map = new Map();
    Reflect.defineMetadata(SCHEMA_META, map, ctor);
  }
  return map;
}

function update(target: object, key: string, change: PropertySchemaMeta): void {
  const map = store(target);
  const current = map.get(key) ?? {};
  map.set(key, { ...current, ...change, extra: { ...current.extra, ...change.extra } });
}

/** A member's (or, on a class, the shape's) description, shown in the schema and docs/PROTOCOL.md. */
export function Describe(text: string): PropertyDecorator & ClassDecorator {
  return (target: object, key?: string | symbol) => update(target, key === undefined ? '' : String(key), { description: text });
}

/** Adds schema keywords to what the validators say (e.g. `additionalProperties` of a map). */
export function SchemaExtra(fragment: SchemaFragment): PropertyDecorator {
  return (target, key) => update(target, String(key), { extra: fragment });
}

/** States the member's schema outright (a nullable member, a result member with no validator). */
export function SchemaIs(fragment: SchemaFragment, options: { required?: boolean } = {}): PropertyDecorator {
  return (target, key) => update(target, String(key), { replace: fragment, ...options });
}

/** A nullable string member, as `anyOf` (portable: the MCP Inspector refuses `type` arrays). */
export const NULLABLE_STRING: SchemaFragment = { anyOf: [{ type: 'string' }, { type: 'null' }] };

/** The schema metadata of a class and its ancestors, nearest first; '' is the class itself. */
export function readSchemaMeta(ctor: object): Map<string, PropertySchemaMeta> {
  const out = new Map<string, PropertySchemaMeta>();
  for (let c: object | null = ctor; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null) {
    const own = Reflect.getOwnMetadata(SCHEMA_META, c) as Store | undefined;
    for (const [key, meta] of own ?? []) {
      if (key === '' && c !== ctor) continue;
      if (!out.has(key)) out.set(key, meta);
    }
  }
  return out;
}

/** A JSON-RPC id or progress token: a string or an integer. */
export const STRING_OR_INTEGER: SchemaFragment = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
