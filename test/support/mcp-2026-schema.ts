import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import type { JsonMessage } from './mcp-client';

/** The official schema of MCP 2026-07-28, vendored unchanged (test/fixtures/README.md). */
const SCHEMA_PATH = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mcp-2026-07-28.schema.json');
/** The official schema of the tasks extension (`io.modelcontextprotocol/tasks`), vendored unchanged (test/fixtures/README.md). */
const TASKS_SCHEMA_PATH = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mcp-ext-tasks.schema.json');

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function definition(name: string): ValidateFunction {
  if (!ajv) {
    // Formats (uri, byte) are not checked: they are annotations here, and ajv-formats is no dependency of ours.
    ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    ajv.addSchema(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object, 'mcp-2026-07-28');
    ajv.addSchema(JSON.parse(readFileSync(TASKS_SCHEMA_PATH, 'utf8')) as object, 'mcp-ext-tasks');
  }
  let fn = compiled.get(name);
  if (!fn) {
    const [schema, def] = name.startsWith('tasks:') ? ['mcp-ext-tasks', name.slice(6)] : ['mcp-2026-07-28', name];
    fn = ajv.getSchema(`${schema}#/$defs/${def}`);
    if (!fn) throw new Error(`the MCP 2026-07-28 schema has no definition ${name}`);
    compiled.set(name, fn);
  }
  return fn;
}

function check(name: string, value: unknown): string[] {
  const fn = definition(name);
  if (fn(value)) return [];
  return [`${name}: ${ajv!.errorsText(fn.errors, { separator: '; ' })}`];
}

/** The result definition of each method's successful response. */
const RESULT_DEFINITIONS: Record<string, string> = {
  'server/discover': 'DiscoverResult',
  'tools/list': 'ListToolsResult',
  'tools/call': 'CallToolResult',
  'subscriptions/listen': 'SubscriptionsListenResult',
  'resources/list': 'ListResourcesResult',
  'resources/templates/list': 'ListResourceTemplatesResult',
  'resources/read': 'ReadResourceResult',
  'tasks/get': 'tasks:GetTaskResult',
  'tasks/update': 'tasks:UpdateTaskResult',
  'tasks/cancel': 'tasks:CancelTaskResult',
};

/** The tasks extension's requests, by method (the core schema's ClientRequest does not list them). */
const TASK_REQUESTS: Record<string, string> = {
  'tasks/get': 'tasks:GetTaskRequest',
  'tasks/update': 'tasks:UpdateTaskRequest',
  'tasks/cancel': 'tasks:CancelTaskRequest',
};

/** The error definitions with a fixed shape, by code. */
const ERROR_DEFINITIONS: Record<number, string> = {
  [-32022]: 'UnsupportedProtocolVersionError',
  [-32021]: 'MissingRequiredClientCapabilityError',
};

/**
 * Checks one message agentwire wrote in the modern era against the official schema: the JSON-RPC
 * envelope, then the definition of its kind (the result of the request's method, the error by
 * code, a ServerNotification). A server-to-client request is itself an error in this era.
 * `methodOf` names the method of the request a response answers. Returns the problems (none = valid).
 */
export function schemaProblems(message: JsonMessage, methodOf: (id: unknown) => string | undefined): string[] {
  if ('method' in message && 'id' in message) return [`a server-to-client request (${String(message.method)}) is not allowed in 2026-07-28`];
  if ('method' in message && message.method === 'notifications/tasks') return check('tasks:TaskStatusNotification', message);
  if ('method' in message) return [...check('JSONRPCNotification', message), ...check('ServerNotification', message)];
  if ('error' in message) {
    const problems = check('JSONRPCErrorResponse', message);
    const code = (message.error as { code?: number }).code;
    const specific = code !== undefined ? ERROR_DEFINITIONS[code] : undefined;
    if (specific) problems.push(...check(specific, message));
    if (code === -32602) problems.push(...check('InvalidParamsError', message.error));
    return problems;
  }
  const problems = check('JSONRPCResultResponse', message);
  const method = methodOf(message.id);
  const result = message.result as Record<string, unknown>;
  if (method === 'tools/call' && result?.resultType === 'input_required') return [...problems, ...check('InputRequiredResult', result)];
  if (method === 'tools/call' && result?.resultType === 'task') return [...problems, ...check('tasks:CreateTaskResult', result)];
  if (method === 'tasks/get' && result?.status === 'completed') problems.push(...check('CallToolResult', { resultType: 'complete', ...(result.result as object) }));
  const name = method ? RESULT_DEFINITIONS[method] : undefined;
  if (name) problems.push(...check(name, result));
  else problems.push(...check('Result', result));
  return problems;
}

/** A check of a client message (the tests' own requests), so the tests speak the revision correctly too. */
export function clientSchemaProblems(message: JsonMessage): string[] {
  const task = typeof message.method === 'string' ? TASK_REQUESTS[message.method] : undefined;
  if ('id' in message && task) return [...check('JSONRPCRequest', message), ...check(task, message)];
  if ('id' in message) return [...check('JSONRPCRequest', message), ...check('ClientRequest', message)];
  return [...check('JSONRPCNotification', message), ...check('ClientNotification', message)];
}
