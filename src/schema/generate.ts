/* eslint-disable @typescript-eslint/no-require-imports -- class-validator-jsonschema is loaded only here, on demand */
import * as protocol from '../protocol';
import { readSchemaMeta, type SchemaFragment } from '../protocol/schema-meta';
import { resolveShapes, type NotificationSpec, type RequestSpec, type ShapeClass } from '../protocol/spec';

/**
 * JSON Schema (2020-12) of the protocol, generated from the classes of src/protocol/ with
 * class-validator-jsonschema (the validators are the single source of each shape), plus the
 * descriptions and fragments of schema-meta.ts. Used by `agentwire schema`, `npm run docs`, the
 * build (the `codex` tools' schemas, scripts/protocol-schema.js) and the tests; never by the
 * server at run time, which would pay for loading class-validator's full index.
 */

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const REF = '#/$defs/';

// The storage the protocol's @Type / @Expose decorators wrote to (the same module instance, also in the bundle).
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** Every class the protocol module exports, and their ancestors (the factory-made bases), by name. */
function protocolClasses(): Map<string, ShapeClass> {
  const out = new Map<string, ShapeClass>();
  for (const value of Object.values(protocol)) {
    if (typeof value !== 'function' || !/^[A-Z]/.test(value.name)) continue;
    for (let c: unknown = value; typeof c === 'function' && c !== Function.prototype && (c as ShapeClass).name; c = Object.getPrototypeOf(c)) {
      if (!out.has((c as ShapeClass).name)) out.set((c as ShapeClass).name, c as ShapeClass);
    }
  }
  return out;
}

function exposedName(target: ShapeClass, property: string): string {
  const expose = defaultMetadataStorage.findExposeMetadata(target, property);
  return expose?.options.name ?? property;
}

/** The `$defs` of every protocol class, with descriptions and fragments applied. */
export function classSchemas(): Record<string, JsonSchema> {
  const cvj = require('class-validator-jsonschema') as typeof import('class-validator-jsonschema');
  const options = { classTransformerMetadataStorage: defaultMetadataStorage, refPointerPrefix: REF } as Parameters<typeof cvj.targetConstructorToSchema>[1];
  const defs: Record<string, JsonSchema> = {};
  const classes = protocolClasses();
  for (const [name, cls] of classes) {
    const schema = structuredClone(cvj.targetConstructorToSchema(cls, options)) as JsonSchema;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [key, meta] of readSchemaMeta(cls)) {
      if (key === '') {
        if (meta.description) schema.description = meta.description;
        continue;
      }
      const wire = exposedName(cls, key);
      let prop = properties[wire] ?? {};
      if (meta.replace) prop = { ...meta.replace };
      if (meta.extra) prop = { ...prop, ...meta.extra };
      if (meta.description) prop = { ...prop, description: meta.description };
      properties[wire] = prop;
      if (meta.required) required.add(wire);
    }
    if (Object.keys(properties).length === 0 && !schema.properties) {
      // A class with no members at all (EmptyResult) is still an object.
      defs[name] = { type: 'object', ...(schema.description ? { description: schema.description } : {}) };
      continue;
    }
    const { description } = schema;
    const ordered: JsonSchema = { type: 'object', ...(description ? { description } : {}), properties };
    if (required.size > 0) ordered.required = [...required];
    defs[name] = portable(ordered) as JsonSchema;
  }
  return defs;
}

/**
 * A schema every MCP client accepts: no `type` arrays (the MCP Inspector's check refuses them;
 * `anyOf` says the same), no OpenAPI `nullable`, single-value `enum`s as `const`.
 */
export function portable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(portable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = portable(v);
  if (Array.isArray(out.type)) {
    const types = out.type as string[];
    delete out.type;
    out.anyOf = types.map((type) => ({ type }));
  }
  if (out.nullable === true) {
    delete out.nullable;
    const { description, ...rest } = out;
    return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  if (Array.isArray(out.enum) && out.enum.length === 1) {
    out.const = out.enum[0];
    delete out.enum;
  }
  return out;
}

function shapeRef(cls: ShapeClass): JsonSchema {
  return { $ref: `${REF}${cls.name}` };
}

function resultSchema(spec: RequestSpec): JsonSchema {
  const result = resolveShapes(spec.result);
  const shapes = Array.isArray(result) ? (result as ShapeClass[]) : [result as ShapeClass];
  return shapes.length === 1 ? shapeRef(shapes[0]) : { anyOf: shapes.map(shapeRef) };
}

function paramsSchema(spec: RequestSpec | NotificationSpec): JsonSchema {
  return spec.params ? shapeRef(resolveShapes(spec.params) as ShapeClass) : { description: 'Ignored.' };
}

function messageEntry(spec: RequestSpec | NotificationSpec, defs: Record<string, JsonSchema>): JsonSchema {
  const properties: Record<string, JsonSchema> = { method: { const: spec.name }, params: paramsSchema(spec) };
  // A conversation event's notification names its type: its `msg` is that event's class, not any event.
  const event = (spec as { msg?: () => ShapeClass }).msg?.();
  if (event && spec.params) {
    const base = defs[resolveShapes(spec.params).name];
    properties.params = { ...base, properties: { ...(base.properties as Record<string, JsonSchema>), msg: shapeRef(event) } };
  }
  if (spec.kind === 'request') properties.result = resultSchema(spec);
  return {
    type: 'object',
    description: spec.description,
    'x-eras': spec.eras,
    properties,
    required: spec.kind === 'request' ? ['method', 'result'] : ['method'],
  };
}

function entries(map: Record<string, RequestSpec | NotificationSpec>, defs: Record<string, JsonSchema>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const spec of Object.values(map)) properties[spec.name] = messageEntry(spec, defs);
  return { type: 'object', properties, required: Object.keys(properties) };
}

/**
 * The whole protocol as one JSON Schema document: under `properties`, one member per method of
 * each direction (`method`, `params`, and for requests `result`) and one per event type; every
 * shape under `$defs`.
 */
export function protocolSchema(version: string): JsonSchema {
  const defs = classSchemas();
  const events: Record<string, JsonSchema> = {};
  for (const [type, cls] of Object.entries(protocol.EVENT_SHAPES)) events[type] = shapeRef(cls);
  const doc: JsonSchema = {
    $schema: SCHEMA_DIALECT,
    $id: `https://agentwire.invalid/schema/${version}/agentwire.schema.json`,
    title: 'AgentwireProtocol',
    description: `agentwire ${version}: every method it serves and sends, in the three eras (codex 0.29 methods, handshake MCP, MCP 2026-07-28), and every conversation event.`,
    type: 'object',
    properties: {
      incomingRequests: entries(protocol.IncomingRequest, defs),
      incomingNotifications: entries(protocol.IncomingNotification, defs),
      outgoingRequests: entries(protocol.OutgoingRequest, defs),
      outgoingNotifications: entries({ ...protocol.OutgoingNotification, ...protocol.CodexEvent }, defs),
      events: { type: 'object', properties: events, required: Object.keys(events) },
    },
    required: ['incomingRequests', 'incomingNotifications', 'outgoingRequests', 'outgoingNotifications', 'events'],
    $defs: defs,
  };
  checkRefs(doc);
  return doc;
}

/** Every `$ref` names a `$defs` entry: a class missing from src/protocol/index.ts fails here, not in a client. */
function checkRefs(doc: JsonSchema): void {
  const defs = doc.$defs as Record<string, unknown>;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const ref = (value as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && !(ref.startsWith(REF) && ref.slice(REF.length) in defs)) throw new Error(`protocol schema: unresolved $ref ${ref}`);
    Object.values(value).forEach(walk);
  };
  walk(doc);
}

/** A `$defs` entry with every `$ref` inlined: what a tool's `inputSchema` / `outputSchema` must be (self-contained). */
export function inlineDef(defs: Record<string, JsonSchema>, name: string): JsonSchema {
  const resolve = (value: unknown, seen: string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(v, seen));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    if (typeof obj.$ref === 'string' && obj.$ref.startsWith(REF)) {
      const target = obj.$ref.slice(REF.length);
      if (seen.includes(target)) throw new Error(`recursive schema ${target} cannot be inlined`);
      return resolve(defs[target], [...seen, target]);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v, seen)]));
  };
  return resolve(defs[name], [name]) as JsonSchema;
}

/** The `codex` and `codex-reply` tools' schemas, from the classes that validate their arguments. */
export function codexToolSchemas(): Record<'codex' | 'codex-reply', { inputSchema: JsonSchema; outputSchema: JsonSchema }> {
  const defs = classSchemas();
  const outputSchema = inlineDef(defs, protocol.CodexToolResult.name);
  return {
    codex: { inputSchema: inlineDef(defs, protocol.CodexToolParams.name), outputSchema },
    'codex-reply': { inputSchema: inlineDef(defs, protocol.CodexReplyToolParams.name), outputSchema },
  };
}

export type { SchemaFragment };
