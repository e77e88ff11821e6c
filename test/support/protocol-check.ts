import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { protocolSchema, type JsonSchema } from '../../src/schema/generate';
import { VERSION } from '../../src/version';

/** A message as a transcript or a test client saw it: `c2s` written by the client, `s2c` by the server. */
export interface DirectedMessage {
  dir: 'c2s' | 's2c';
  msg: Record<string, any>;
}

type Section = 'incomingRequests' | 'incomingNotifications' | 'outgoingRequests' | 'outgoingNotifications';

let ajv: Ajv2020 | undefined;
let schema: JsonSchema | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The protocol's schema, generated once per test process from src/protocol/ (what `agentwire schema` writes). */
export function agentwireSchema(): JsonSchema {
  schema ??= protocolSchema(VERSION);
  return schema;
}

function entry(section: Section, method: string): Record<string, JsonSchema> | undefined {
  const sections = agentwireSchema().properties as Record<string, { properties: Record<string, { properties: Record<string, JsonSchema> }> }>;
  return sections[section].properties[method]?.properties;
}

function validator(section: Section, method: string, part: 'params' | 'result'): ValidateFunction | undefined {
  const key = `${section}:${method}:${part}`;
  if (compiled.has(key)) return compiled.get(key);
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    ajv.addSchema(agentwireSchema(), 'agentwire');
  }
  const fragment = entry(section, method)?.[part];
  const pointer = `/properties/${section}/properties/${method.replace(/~/g, '~0').replace(/\//g, '~1')}/properties/${part}`;
  const fn = fragment ? ajv.getSchema(`agentwire#${pointer}`) : undefined;
  compiled.set(key, fn!);
  return fn;
}

function problems(fn: ValidateFunction | undefined, value: unknown, what: string): string[] {
  if (!fn || fn(value)) return [];
  return [`${what}: ${ajv!.errorsText(fn.errors, { separator: '; ', dataVar: '' })} — ${JSON.stringify(value).slice(0, 300)}`];
}

/**
 * Checks a conversation, in order, against the protocol's schema: client requests' params (only
 * of requests that got a result: a request answered with an error may be bad on purpose),
 * client notifications' params, server results against the result of the request they answer,
 * server notifications and requests against theirs, client results against the server request
 * they answer. Every method the server sends must be declared; a client method that is not
 * (a test of an unknown method, a plugin's own method) is not checked. Returns the problems found.
 */
export function checkConversation(messages: Iterable<DirectedMessage>, options: { allowUndeclaredFromServer?: (method: string) => boolean } = {}): string[] {
  const out: string[] = [];
  const clientRequests = new Map<unknown, { method: string; params: unknown }>();
  const serverRequests = new Map<unknown, string>();
  for (const { dir, msg } of messages) {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) continue;
    const method = typeof msg.method === 'string' ? msg.method : undefined;
    const isRequest = method !== undefined && 'id' in msg;
    if (dir === 'c2s') {
      if (isRequest) clientRequests.set(msg.id, { method: method, params: msg.params });
      else if (method !== undefined) {
        if (entry('incomingNotifications', method))
          out.push(...problems(validator('incomingNotifications', method, 'params'), msg.params ?? {}, `client notification ${method} params`));
      } else if ('result' in msg && serverRequests.has(msg.id)) {
        const asked = serverRequests.get(msg.id)!;
        out.push(...problems(validator('outgoingRequests', asked, 'result'), msg.result, `client result of ${asked}`));
      }
      continue;
    }
    if (isRequest) {
      if (!entry('outgoingRequests', method)) {
        if (!options.allowUndeclaredFromServer?.(method)) out.push(`server request ${method} is not declared in src/protocol/`);
        continue;
      }
      serverRequests.set(msg.id, method);
      out.push(...problems(validator('outgoingRequests', method, 'params'), msg.params, `server request ${method} params`));
    } else if (method !== undefined) {
      if (!entry('outgoingNotifications', method)) {
        if (!options.allowUndeclaredFromServer?.(method)) out.push(`server notification ${method} is not declared in src/protocol/`);
        continue;
      }
      out.push(...problems(validator('outgoingNotifications', method, 'params'), msg.params, `server notification ${method} params`));
    } else if ('result' in msg && clientRequests.has(msg.id)) {
      const { method: asked, params } = clientRequests.get(msg.id)!;
      clientRequests.delete(msg.id);
      if (!entry('incomingRequests', asked)) continue;
      out.push(...problems(validator('incomingRequests', asked, 'params'), params ?? {}, `client request ${asked} params`));
      out.push(...problems(validator('incomingRequests', asked, 'result'), msg.result, `server result of ${asked}`));
    } else if ('error' in msg) {
      clientRequests.delete(msg.id);
    }
  }
  return out;
}
