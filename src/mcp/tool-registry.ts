import type { ValidateFunction } from 'ajv';
import type { CallToolResult, ToolDescription, ToolsListResult } from '../protocol/mcp';
import { InvalidParamsError } from '../router/errors';
import type { RequestContext } from '../router/handler';

/** A JSON Schema object (the subset MCP tools use). */
export type JsonSchema = Record<string, unknown>;

export type { CallToolResult } from '../protocol/mcp';

/** What a tool handler gets: the request context plus the MCP progress token, when the client sent one. */
export interface ToolCallContext extends RequestContext {
  readonly progressToken: string | number | undefined;
  /** Modern era: the SuspendedRun the call runs as (its approvals become `input_required` answers). */
  readonly runId?: string;
  /** The task the call runs as (both eras): its approvals go through TaskApprovals. */
  readonly taskId?: string;
  /** Modern era: a short human line for the request standing for the run (`notifications/progress`), instead of `codex/event`. */
  readonly reportProgress?: (message: string) => void;
}

/** An MCP tool contributed by a plugin. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: Record<string, unknown>;
  /** 2025-11-25 `execution.taskSupport`: whether a client may run the tool as a task (agentwire: never "required"). */
  taskSupport?: 'optional';
  /** Runs the tool; a thrown error becomes an `isError` result, except agentwire protocol errors. */
  call(args: Record<string, unknown>, ctx: ToolCallContext): Promise<CallToolResult> | CallToolResult;
}

export class DuplicateToolError extends Error {
  readonly code = 'AW_TOOL_DUPLICATE';
  constructor(name: string, first: string, second: string) {
    super(`tool ${name} is registered by both ${first} and ${second}`);
  }
}

/** Tools per `tools/list` page (MCP pagination; the cursor is opaque to clients). */
export const TOOLS_PAGE_SIZE = 50;

interface Entry {
  tool: ToolDefinition;
  owner: string;
  validate?: ValidateFunction;
}

/** The tools served by `tools/list` and `tools/call`, filled by plugins. */
export class ToolRegistry {
  private readonly entries = new Map<string, Entry>();
  private ajv?: import('ajv').default;
  /** Pages already built, by cursor: the tool set only changes while plugins register. */
  private readonly pages = new Map<string, ToolsListResult>();
  private readonly changeListeners = new Set<() => void>();

  add(tool: ToolDefinition, owner: string): void {
    const existing = this.entries.get(tool.name);
    if (existing) throw new DuplicateToolError(tool.name, existing.owner, owner);
    this.entries.set(tool.name, { tool, owner });
    this.pages.clear();
    for (const listener of [...this.changeListeners]) listener();
  }

  /** Calls `listener` after every tool added from now on (subscriptions/listen); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): ToolDefinition | undefined {
    return this.entries.get(name)?.tool;
  }

  /**
   * One page of tools as `tools/list` shows them; `execution` (2025-11-25 tasks) only when asked
   * for, so clients of other versions see the tools as before.
   */
  list(cursor?: string, options: { execution?: boolean } = {}): ToolsListResult {
    const key = `${options.execution ? 'x' : ''}:${cursor ?? ''}`;
    const cached = this.pages.get(key);
    if (cached) return cached;
    const page = this.buildPage(cursor, options.execution === true);
    this.pages.set(key, page);
    return page;
  }

  private buildPage(cursor: string | undefined, execution: boolean): ToolsListResult {
    const start = cursor === undefined ? 0 : decodeCursor(cursor);
    const all = [...this.entries.values()];
    const page = all.slice(start, start + TOOLS_PAGE_SIZE).map(({ tool }) => describeTool(tool, execution));
    const next = start + TOOLS_PAGE_SIZE;
    return next < all.length ? { tools: page, nextCursor: encodeCursor(next) } : { tools: page };
  }

  /** Checks arguments against the tool's input schema; -32602 names each bad field. */
  validateArguments(name: string, args: unknown): void {
    const entry = this.entries.get(name);
    if (!entry) throw new InvalidParamsError(`Unknown tool: ${name}`, [`name: unknown tool ${name}`]);
    entry.validate ??= this.compiler().compile(entry.tool.inputSchema);
    if (entry.validate(args)) return;
    const errors = (entry.validate.errors ?? []).map((e) => {
      const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
      const field = missing ?? (e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'arguments');
      const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
      return missing ? `${field}: is required` : `${field}: ${e.message ?? 'is invalid'}${allowed}`;
    });
    throw new InvalidParamsError(`Invalid arguments for tool ${name}: ${errors.join('; ')}`, errors);
  }

  /** Ajv is loaded on the first tools/call, not at start-up. */
  private compiler(): import('ajv').default {
    if (!this.ajv) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
      const Ajv = (require('ajv') as typeof import('ajv')).default;
      this.ajv = new Ajv({ allErrors: true, strict: false });
    }
    return this.ajv;
  }
}

function describeTool(tool: ToolDefinition, execution: boolean): ToolDescription {
  const out: ToolDescription = { name: tool.name } as ToolDescription;
  if (tool.title !== undefined) out.title = tool.title;
  out.description = tool.description;
  out.inputSchema = tool.inputSchema;
  if (tool.outputSchema !== undefined) out.outputSchema = tool.outputSchema;
  if (tool.annotations !== undefined) out.annotations = tool.annotations;
  if (execution && tool.taskSupport !== undefined) out.execution = { taskSupport: tool.taskSupport };
  return out;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new InvalidParamsError('Invalid params: cursor is not one this server gave out', ['cursor: unknown cursor']);
}
