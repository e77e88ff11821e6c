/* eslint-disable @typescript-eslint/no-require-imports -- the generators are loaded only by this command */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VERSION } from '../version';
import { protocolSchema } from './generate';

/** File names `agentwire schema` writes. */
export const SCHEMA_FILE = 'agentwire.schema.json';
export const TYPES_FILE = 'agentwire.d.ts';

/**
 * `agentwire schema [--out DIR]`: the protocol's JSON Schema (2020-12), generated from
 * src/protocol/, and TypeScript declarations generated from that schema by
 * json-schema-to-typescript (a maintained generator, loaded only here). Returns the paths written.
 */
export async function writeSchemaFiles(outDir: string): Promise<string[]> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const schema = protocolSchema(VERSION);
  const schemaPath = join(dir, SCHEMA_FILE);
  writeFileSync(schemaPath, JSON.stringify(schema, null, 2) + '\n');
  const { compile } = require('json-schema-to-typescript') as typeof import('json-schema-to-typescript');
  const types = await compile(schema, 'AgentwireProtocol', {
    bannerComment: `/* agentwire ${VERSION} protocol types, generated from ${SCHEMA_FILE} by json-schema-to-typescript. Do not edit. */`,
    unreachableDefinitions: true,
    additionalProperties: true,
    strictIndexSignatures: false,
  });
  const typesPath = join(dir, TYPES_FILE);
  writeFileSync(typesPath, types);
  return [schemaPath, typesPath];
}
