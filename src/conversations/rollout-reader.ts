import type { ApprovalPolicy, SandboxMode } from '../config/config-schema';
import type { ReasoningEffort, ReasoningSummary, SandboxPolicy } from '../config/conversation-settings';
import type { RecordedSettings } from '../config/derive-settings';
import type { ResponseItem } from '../protocol/items';
import type { InitialMessage } from '../protocol/codex-results';

/** The first line of every rollout, 0.29's session record (WIRE.md §12). */
export interface SessionMeta {
  id: string;
  /** Local time with milliseconds and a literal `Z`, as codex writes it. */
  timestamp: string;
  /** The user-instructions text, or null. */
  instructions: string | null;
}

/** A rollout file read back: everything needed to rebuild its conversation. */
export interface RolloutContents {
  path: string;
  meta: SessionMeta;
  /** `agentwire` when the file has agentwire's settings record, `codex-0.29` when it has none. */
  format: 'agentwire' | 'codex-0.29';
  /** The settings the conversation ran with, as far as the file tells them (last settings record wins). */
  settings: RecordedSettings;
  /** The model history, context items included. */
  items: ResponseItem[];
  /** Index in `items` of the first item of each turn, ascending. */
  turnStarts: number[];
  /** The highest event number among the `agentwire_event` records (0 when none): a resumed conversation numbers on from it. */
  lastEventSeq: number;
  /** False when the last line was cut: whoever appends must start a new line first. */
  endsWithNewline: boolean;
}

/** A file that is not a rollout at all (no session line), as opposed to one with bad lines, which are skipped. */
export class RolloutFormatError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} is not a rollout file: ${reason}`);
    this.name = 'RolloutFormatError';
  }
}

/** Where the reader reports lines it skips. */
export type RolloutWarn = (fields: Record<string, unknown>, message: string) => void;

const ITEM_TYPES = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);

/** A rollout larger than the configured cap (`rollout_max_bytes`): it is not read at all. */
export class RolloutTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super(`${path} is not a rollout file: larger than rollout_max_bytes (${maxBytes} bytes)`);
    this.name = 'RolloutTooLargeError';
  }
}

/** Conversation ids are UUIDs (WIRE.md §5); a session line with anything else is no rollout to resume. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isConversationId(id: string): boolean {
  return UUID.test(id);
}

/**
 * Reads a whole rollout, streamed line by line: the event loop is never held for more than one
 * chunk, and no more than `maxBytes` are ever read (the rest of a larger file is not even
 * opened for reading; `RolloutTooLargeError` instead). Unreadable lines are skipped with a
 * warning: a cut last line is what a crash in the middle of an append leaves, and a cut line in
 * the middle is what appending after such a crash leaves; neither should cost the rest of the
 * conversation.
 *
 * @throws RolloutFormatError when the first line is not a session record with a UUID id
 * @throws RolloutTooLargeError when the file holds more than `maxBytes`
 * @throws the fs error when the file cannot be read
 */
export async function readRollout(path: string, warn: RolloutWarn, maxBytes = Number.MAX_SAFE_INTEGER): Promise<RolloutContents> {
  // fs is kept off the start-up path (it loads several modules); resume is rare.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
  const { createReadStream } = require('node:fs') as typeof import('node:fs');
  const parser = new RolloutParser(path, warn);
  // One byte beyond the cap is asked for, so that "exactly the cap" and "more" can be told apart.
  const stream = createReadStream(path, { start: 0, end: maxBytes, highWaterMark: 64 * 1024 });
  let total = 0;
  let pending: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new RolloutTooLargeError(path, maxBytes);
      // Split on the newline byte: it never occurs inside a multi-byte UTF-8 sequence.
      let from = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
        pending.push(chunk.subarray(from, nl));
        parser.line(Buffer.concat(pending).toString('utf8'), false);
        pending = [];
        from = nl + 1;
      }
      if (from < chunk.length) pending.push(chunk.subarray(from));
    }
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) parser.line(Buffer.concat(pending).toString('utf8'), true);
  const contents = parser.finish(pending.length === 0);
  if (!isConversationId(contents.meta.id)) throw new RolloutFormatError(path, `the session id ${JSON.stringify(contents.meta.id.slice(0, 80))} is not a UUID`);
  return contents;
}

/** {@link readRollout} on text already in memory (no UUID check: spec examples use placeholders). */
export function parseRollout(text: string, path: string, warn: RolloutWarn): RolloutContents {
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parser = new RolloutParser(path, warn);
  lines.forEach((line, i) => parser.line(line, i === lines.length - 1 && !endsWithNewline));
  return parser.finish(endsWithNewline);
}

/** Builds the contents of a rollout from its lines, one at a time. */
class RolloutParser {
  private meta: SessionMeta | undefined;
  private lineNumber = 0;
  private readonly items: ResponseItem[] = [];
  private readonly markers: number[] = [];
  private settings: RecordedSettings | undefined;
  private lastEventSeq = 0;

  constructor(
    private readonly path: string,
    private readonly warn: RolloutWarn,
  ) {}

  /** One line without its newline; `cut` when it is the last one and no newline ended it. */
  line(line: string, cut: boolean): void {
    this.lineNumber++;
    if (this.meta === undefined) {
      this.meta = sessionMeta(line, this.path);
      return;
    }
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.warn(
        { path: this.path, line: this.lineNumber, bytes: line.length },
        cut ? 'rollout: the last line is cut (an append was interrupted); skipped' : 'rollout: a line is not JSON; skipped',
      );
      return;
    }
    if (!isObject(value)) return;
    const recordType = value.record_type;
    if (recordType === 'agentwire_settings') this.settings = settingsFromRecord(value);
    else if (recordType === 'agentwire_turn') this.markers.push(this.items.length);
    else if (recordType === 'agentwire_event') {
      if (Number.isSafeInteger(value.seq) && (value.seq as number) > this.lastEventSeq) this.lastEventSeq = value.seq as number;
    } else if (recordType === undefined && typeof value.type === 'string' && ITEM_TYPES.has(value.type)) this.items.push(value as unknown as ResponseItem);
    // Anything else ({"record_type":"state"}, item types agentwire does not model) carries nothing to rebuild.
  }

  finish(endsWithNewline: boolean): RolloutContents {
    const meta = this.meta ?? sessionMeta(undefined, this.path);
    const { items, markers, settings } = this;
    return {
      path: this.path,
      meta,
      format: settings ? 'agentwire' : 'codex-0.29',
      settings: { ...(settings ?? settingsFromContext(items)), userInstructions: meta.instructions },
      items,
      turnStarts: turnStartsOf(items, markers),
      lastEventSeq: this.lastEventSeq,
      endsWithNewline,
    };
  }
}

/** The session record of a first line; throws RolloutFormatError when it is not one. */
export function sessionMeta(line: string | undefined, path: string): SessionMeta {
  let value: unknown;
  try {
    value = line === undefined ? undefined : JSON.parse(line);
  } catch {
    throw new RolloutFormatError(path, 'the first line is not JSON');
  }
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.timestamp !== 'string') {
    throw new RolloutFormatError(path, 'the first line is not a session record');
  }
  return { id: value.id, timestamp: value.timestamp, instructions: typeof value.instructions === 'string' ? value.instructions : null };
}

/** The settings an `agentwire_settings` record holds (written by ConversationManager's settingsRecord). */
export function settingsFromRecord(r: Record<string, unknown>): RecordedSettings {
  const out: RecordedSettings = {};
  if (typeof r.model === 'string') out.model = r.model;
  if (typeof r.model_provider === 'string') out.modelProvider = r.model_provider;
  if (typeof r.cwd === 'string') out.cwd = r.cwd;
  if (typeof r.approval_policy === 'string') out.approvalPolicy = r.approval_policy as ApprovalPolicy;
  if (isObject(r.sandbox_policy) && typeof r.sandbox_policy.mode === 'string') {
    out.sandboxPolicy = r.sandbox_policy as unknown as SandboxPolicy;
    out.sandboxMode = r.sandbox_policy.mode as SandboxMode;
  }
  if (typeof r.base_instructions === 'string') out.baseInstructions = r.base_instructions;
  if (typeof r.include_plan_tool === 'boolean') out.includePlanTool = r.include_plan_tool;
  if (typeof r.include_apply_patch_tool === 'boolean') out.includeApplyPatchTool = r.include_apply_patch_tool;
  if (typeof r.reasoning_effort === 'string') out.reasoningEffort = r.reasoning_effort as ReasoningEffort;
  if (typeof r.reasoning_summary === 'string') out.reasoningSummary = r.reasoning_summary as ReasoningSummary;
  if (typeof r.profile === 'string') out.profile = r.profile;
  return out;
}

/**
 * What 0.29 leaves of the settings: only the `<environment_context>` text of the first items
 * (WIRE.md §12). The model and provider are not recorded at all; they come from the config.
 */
export function settingsFromContext(items: ResponseItem[]): RecordedSettings {
  const out: RecordedSettings = {};
  for (const item of items) {
    const text = userMessageText(item);
    if (text === undefined) continue;
    if (!text.startsWith(ENVIRONMENT_TAG)) {
      if (text.startsWith(INSTRUCTIONS_TAG)) continue;
      break;
    }
    const context = parseEnvironmentContext(text);
    if (context.cwd !== undefined) out.cwd = context.cwd;
    if (context.approvalPolicy !== undefined) out.approvalPolicy = context.approvalPolicy;
    if (context.sandboxMode !== undefined) out.sandboxMode = context.sandboxMode;
  }
  return out;
}

const ENVIRONMENT_TAG = '<environment_context>';
const INSTRUCTIONS_TAG = '<user_instructions>';

/** The fields of an `<environment_context>` text (formatEnvironmentContext's output, or 0.29's). */
export function parseEnvironmentContext(text: string): { cwd?: string; approvalPolicy?: ApprovalPolicy; sandboxMode?: SandboxMode } {
  const field = (tag: string) => new RegExp(`<${tag}>([^\\n]*)</${tag}>`).exec(text)?.[1];
  const out: { cwd?: string; approvalPolicy?: ApprovalPolicy; sandboxMode?: SandboxMode } = {};
  const cwd = field('cwd');
  const approval = field('approval_policy');
  const sandbox = field('sandbox_mode');
  if (cwd !== undefined) out.cwd = cwd;
  if (approval !== undefined) out.approvalPolicy = approval as ApprovalPolicy;
  if (sandbox !== undefined) out.sandboxMode = sandbox as SandboxMode;
  return out;
}

/** The text of a user message item; undefined for any other item. */
export function userMessageText(item: unknown): string | undefined {
  if (!isObject(item) || item.type !== 'message' || item.role !== 'user' || !Array.isArray(item.content)) return undefined;
  let text = '';
  for (const part of item.content) if (isObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

/** The user-instructions and environment-context items agentwire and codex put before the user's own messages. */
export function isContextText(text: string): boolean {
  return text.startsWith(ENVIRONMENT_TAG) || text.startsWith(INSTRUCTIONS_TAG);
}

/**
 * Where each turn starts. From the first `agentwire_turn` marker on, the markers say it exactly;
 * before it (all of a 0.29 file) a turn is inferred as 0.29's record allows: it starts at a user
 * message that follows anything but a user message, context items not counted.
 *
 * @param markers item indices at which `agentwire_turn` records appeared, ascending
 */
export function turnStartsOf(items: ResponseItem[], markers: number[]): number[] {
  const inferredUntil = markers.length > 0 ? markers[0] : items.length;
  const starts: number[] = [];
  let previousWasUser = false;
  for (let i = 0; i < inferredUntil; i++) {
    const text = userMessageText(items[i]);
    if (text !== undefined && isContextText(text)) continue;
    const isUser = text !== undefined;
    if (isUser && !previousWasUser) starts.push(i);
    previousWasUser = isUser;
  }
  return [...starts, ...markers];
}

/**
 * What `resumeConversation` returns as `initialMessages`, so a client can redraw the
 * conversation: one object per thing the user saw, in order, shaped like the live events where
 * one exists (`user_message` as later codex versions send it, `agent_message`,
 * `agent_reasoning`), and `tool_call` / `tool_output` for function calls, which have no single
 * live event (the shell's own events are richer but are not recorded). Context items are left out.
 */
export type { InitialMessage } from '../protocol/codex-results';

/** The {@link InitialMessage}s of a history. */
export function initialMessagesOf(items: readonly ResponseItem[]): InitialMessage[] {
  const out: InitialMessage[] = [];
  for (const item of items) {
    switch (item.type) {
      case 'message': {
        const text = item.content.map((c) => ('text' in c ? c.text : '')).join('');
        if (item.role === 'user') {
          if (isContextText(text)) break;
          const images = item.content.flatMap((c) => (c.type === 'input_image' ? [c.image_url] : []));
          out.push(images.length > 0 ? { type: 'user_message', message: text, images } : { type: 'user_message', message: text });
        } else if (item.role === 'assistant') {
          out.push({ type: 'agent_message', message: text });
        }
        break;
      }
      case 'reasoning': {
        const text = (item.summary ?? []).map((s) => s.text).join('');
        if (text) out.push({ type: 'agent_reasoning', text });
        break;
      }
      case 'function_call':
        out.push({ type: 'tool_call', call_id: item.call_id, name: item.name, arguments: item.arguments });
        break;
      case 'function_call_output':
        out.push({ type: 'tool_output', call_id: item.call_id, output: item.output });
        break;
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
