import { Type } from 'class-transformer';
import { FILE_CHANGES_SCHEMA, type FileChange } from './file-change';
import { Describe, NULLABLE_STRING, SchemaExtra, SchemaIs, STRING_OR_INTEGER } from './schema-meta';
import { AUTH_METHODS, type AuthMethod } from './values';
import { Equals, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, ValidateNested } from './validators';

/**
 * The `msg` payloads of `codex/event` notifications (WIRE.md §7), one class per event type.
 * Field names are snake_case, as 0.29 sends them. The classes are declarations only: events are
 * built as object literals, which the compiler checks against these types; the JSON Schema is
 * generated from the decorators.
 */

const NULLABLE_INTEGER = { anyOf: [{ type: 'integer' }, { type: 'null' }] };

@Describe('first event of a `codex` call, with `id: ""`; never to listeners')
export class SessionConfiguredEvent {
  @Equals('session_configured') type!: 'session_configured';
  @IsString() session_id!: string;
  @IsString() model!: string;
  @IsInt() history_log_id!: number;
  @IsInt() history_entry_count!: number;
}

@Describe('a turn begins')
export class TaskStartedEvent {
  @Equals('task_started') type!: 'task_started';
  @SchemaIs(NULLABLE_INTEGER, { required: true }) model_context_window!: number | null;
}

@Describe('the whole answer of one model response')
export class AgentMessageEvent {
  @Equals('agent_message') type!: 'agent_message';
  @IsString() message!: string;
}

@Describe('each streamed piece of the answer')
export class AgentMessageDeltaEvent {
  @Equals('agent_message_delta') type!: 'agent_message_delta';
  @IsString() delta!: string;
}

@Describe('the whole reasoning summary of a response')
export class AgentReasoningEvent {
  @Equals('agent_reasoning') type!: 'agent_reasoning';
  @IsString() text!: string;
}

@Describe('streamed reasoning summary (not with `hide_agent_reasoning`)')
export class AgentReasoningDeltaEvent {
  @Equals('agent_reasoning_delta') type!: 'agent_reasoning_delta';
  @IsString() delta!: string;
}

@Describe('the whole raw reasoning, same condition')
export class AgentReasoningRawContentEvent {
  @Equals('agent_reasoning_raw_content') type!: 'agent_reasoning_raw_content';
  @IsString() text!: string;
}

@Describe('streamed raw reasoning, only with `show_raw_agent_reasoning`')
export class AgentReasoningRawContentDeltaEvent {
  @Equals('agent_reasoning_raw_content_delta') type!: 'agent_reasoning_raw_content_delta';
  @IsString() delta!: string;
}

@Describe('part of the type; agentwire does not send it')
export class AgentReasoningSectionBreakEvent {
  @Equals('agent_reasoning_section_break') type!: 'agent_reasoning_section_break';
}

@Describe('just before an exec approval request')
export class ExecApprovalRequestEvent {
  @Equals('exec_approval_request') type!: 'exec_approval_request';
  @IsString() call_id!: string;
  @IsArray() @IsString({ each: true }) command!: string[];
  @IsString() cwd!: string;
  @IsOptional() @IsString() reason?: string;
}

@Describe('just before a patch approval request (`grant_root` is never set today)')
export class ApplyPatchApprovalRequestEvent {
  @Equals('apply_patch_approval_request') type!: 'apply_patch_approval_request';
  @IsString() call_id!: string;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsObject() changes!: Record<string, FileChange>;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() grant_root?: string;
}

@Describe('a command starts (again, with the same `call_id`, when it is retried without the sandbox)')
export class ExecCommandBeginEvent {
  @Equals('exec_command_begin') type!: 'exec_command_begin';
  @IsString() call_id!: string;
  @IsArray() @IsString({ each: true }) command!: string[];
  @IsString() cwd!: string;
  @SchemaExtra({ items: { type: 'object' } }) @IsArray() parsed_cmd!: Array<Record<string, unknown>>;
}

@Describe('output as it arrives')
export class ExecCommandOutputDeltaEvent {
  @Equals('exec_command_output_delta') type!: 'exec_command_output_delta';
  @IsString() call_id!: string;
  @IsIn(['stdout', 'stderr']) stream!: 'stdout' | 'stderr';
  @IsArray() @IsInt({ each: true }) chunk!: number[];
}

export class Duration {
  @IsInt() secs!: number;
  @IsInt() nanos!: number;
}

@Describe('a command ended')
export class ExecCommandEndEvent {
  @Equals('exec_command_end') type!: 'exec_command_end';
  @IsString() call_id!: string;
  @IsString() stdout!: string;
  @IsString() stderr!: string;
  @IsString() aggregated_output!: string;
  @IsInt() exit_code!: number;
  @ValidateNested() @Type(() => Duration) duration!: Duration;
  @IsString() formatted_output!: string;
}

@Describe('a patch is about to be written')
export class PatchApplyBeginEvent {
  @Equals('patch_apply_begin') type!: 'patch_apply_begin';
  @IsString() call_id!: string;
  @IsBoolean() auto_approved!: boolean;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsObject() changes!: Record<string, FileChange>;
}

@Describe('the patch was written, or failed and left every file as it was')
export class PatchApplyEndEvent {
  @Equals('patch_apply_end') type!: 'patch_apply_end';
  @IsString() call_id!: string;
  @IsString() stdout!: string;
  @IsString() stderr!: string;
  @IsBoolean() success!: boolean;
}

@Describe('after each applied patch, and once more before `task_complete`')
export class TurnDiffEvent {
  @Equals('turn_diff') type!: 'turn_diff';
  @IsString() unified_diff!: string;
}

export class PlanStep {
  @IsString() step!: string;
  @IsString() status!: string;
}

@Describe('the model called `update_plan`')
export class PlanUpdateEvent {
  @Equals('plan_update') type!: 'plan_update';
  @SchemaIs(NULLABLE_STRING) @IsOptional() explanation?: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PlanStep) plan!: PlanStep[];
}

@Describe(
  'an approval was treated as denied (`approval treated as denied: <why>`), a sandbox denial under `on-failure` (`Execution failed: …`, then `retrying command without sandbox`)',
)
export class BackgroundEvent {
  @Equals('background_event') type!: 'background_event';
  @IsString() message!: string;
}

@Describe('before each stream-level retry of a model request')
export class StreamErrorEvent {
  @Equals('stream_error') type!: 'stream_error';
  @IsString() message!: string;
}

@Describe('the turn failed: a model request failed for good (retries spent, or an error retrying cannot fix), or something else broke')
export class ErrorEvent {
  @Equals('error') type!: 'error';
  @IsString() message!: string;
}

@Describe('after a model response whose stream carried usage')
export class TokenCountEvent {
  @Equals('token_count') type!: 'token_count';
  @IsInt() input_tokens!: number;
  @IsInt() cached_input_tokens!: number;
  @IsInt() output_tokens!: number;
  @IsInt() reasoning_output_tokens!: number;
  @IsInt() total_tokens!: number;
}

@Describe('the turn ended normally, after its last `turn_diff` and after its rollout lines are on disk')
export class TaskCompleteEvent {
  @Equals('task_complete') type!: 'task_complete';
  @SchemaIs(NULLABLE_STRING, { required: true }) last_agent_message!: string | null;
}

@Describe(
  '`interruptConversation`, a cancelled `codex` / `codex-reply` call, or an approval answered `abort`; no `task_complete` follows. (`"replaced"` is part of the type but not sent)',
)
export class TurnAbortedEvent {
  @Equals('turn_aborted') type!: 'turn_aborted';
  @IsIn(['interrupted', 'replaced']) reason!: 'interrupted' | 'replaced';
}

/** Every event payload class by its `type`, in the order docs/PROTOCOL.md lists them. */
export const EVENT_SHAPES = {
  session_configured: SessionConfiguredEvent,
  task_started: TaskStartedEvent,
  agent_message: AgentMessageEvent,
  agent_message_delta: AgentMessageDeltaEvent,
  agent_reasoning: AgentReasoningEvent,
  agent_reasoning_delta: AgentReasoningDeltaEvent,
  agent_reasoning_raw_content: AgentReasoningRawContentEvent,
  agent_reasoning_raw_content_delta: AgentReasoningRawContentDeltaEvent,
  agent_reasoning_section_break: AgentReasoningSectionBreakEvent,
  exec_approval_request: ExecApprovalRequestEvent,
  apply_patch_approval_request: ApplyPatchApprovalRequestEvent,
  exec_command_begin: ExecCommandBeginEvent,
  exec_command_output_delta: ExecCommandOutputDeltaEvent,
  exec_command_end: ExecCommandEndEvent,
  patch_apply_begin: PatchApplyBeginEvent,
  patch_apply_end: PatchApplyEndEvent,
  turn_diff: TurnDiffEvent,
  plan_update: PlanUpdateEvent,
  background_event: BackgroundEvent,
  stream_error: StreamErrorEvent,
  error: ErrorEvent,
  token_count: TokenCountEvent,
  task_complete: TaskCompleteEvent,
  turn_aborted: TurnAbortedEvent,
} as const;

// Each key is its class's `type` literal: a mismatch does not compile.
const KEYS_ARE_TYPES: { [K in keyof typeof EVENT_SHAPES]: new () => { type: K } } = EVENT_SHAPES;

export const EVENT_CLASSES: ReadonlyArray<new () => object> = Object.values(KEYS_ARE_TYPES);

/**
 * The events table of docs/PROTOCOL.md, in its order: each event's group and the prose of its
 * fields (what each field holds); the "sent when" column is the class's description.
 */
export const EVENT_DOCS: { readonly [T in keyof typeof EVENT_SHAPES]: { group: string; fields: string } } = {
  session_configured: { group: 'session', fields: '`session_id`, `model`, `history_log_id`, `history_entry_count`' },
  task_started: { group: 'turn', fields: '`model_context_window` (number, or `null` for a model agentwire does not know)' },
  task_complete: { group: 'turn', fields: '`last_agent_message` (string or `null`)' },
  turn_aborted: { group: 'turn', fields: '`reason`: `"interrupted"`' },
  error: { group: 'turn', fields: '`message`' },
  stream_error: { group: 'turn', fields: '`message`: `stream error: <why>; retrying <n>/<max> in <delay>…`' },
  token_count: { group: 'turn', fields: '`input_tokens`, `cached_input_tokens`, `output_tokens`, `reasoning_output_tokens`, `total_tokens`' },
  agent_message_delta: { group: 'answer', fields: '`delta`' },
  agent_message: { group: 'answer', fields: '`message`' },
  agent_reasoning_delta: { group: 'reasoning', fields: '`delta`' },
  agent_reasoning: { group: 'reasoning', fields: '`text`' },
  agent_reasoning_raw_content_delta: { group: 'reasoning', fields: '`delta`' },
  agent_reasoning_raw_content: { group: 'reasoning', fields: '`text`' },
  agent_reasoning_section_break: { group: 'reasoning', fields: 'none' },
  exec_approval_request: { group: 'approval', fields: '`call_id`, `command` (string[]), `cwd`, `reason`?' },
  apply_patch_approval_request: { group: 'approval', fields: '`call_id`, `changes` (FileChange map), `reason`?, `grant_root`?' },
  exec_command_begin: { group: 'command', fields: '`call_id`, `command`, `cwd`, `parsed_cmd` (`[{"type":"unknown","cmd":<shell-quoted command>}]`)' },
  exec_command_output_delta: { group: 'command', fields: '`call_id`, `stream` (`"stdout"` | `"stderr"`), `chunk` (array of byte values)' },
  exec_command_end: {
    group: 'command',
    fields:
      '`call_id`, `stdout`, `stderr`, `aggregated_output`, `exit_code` (`-1` after a timeout, a kill, or a sandbox denial), `duration` (`{secs, nanos}`), `formatted_output` (what the model sees)',
  },
  patch_apply_begin: { group: 'patch', fields: '`call_id`, `auto_approved` (false after an explicit approval), `changes`' },
  patch_apply_end: { group: 'patch', fields: '`call_id`, `stdout` (`Success. Updated the following files:` …), `stderr`, `success`' },
  turn_diff: { group: 'patch', fields: "`unified_diff` (git-style diff of everything the turn's patches changed, absolute paths)" },
  plan_update: { group: 'plan', fields: '`explanation` (string or `null`), `plan` (`[{step, status}]`)' },
  background_event: { group: 'notice', fields: '`message`' },
};

export type EventMsg = InstanceType<(typeof EVENT_SHAPES)[keyof typeof EVENT_SHAPES]>;

export type EventType = EventMsg['type'];

/** One event of a conversation: the submission that produced it, and the payload. */
export interface ConversationEvent {
  /** The submission id, a decimal string (WIRE.md §6.1); "" for session_configured of the codex tool. */
  id: string;
  msg: EventMsg;
  /**
   * The conversation's sequence number of this event (`_meta.seq` on the wire): 1 for its first
   * event, one more for each next one, kept across resume (docs/PROTOCOL.md, "Event replay").
   */
  seq?: number;
}

// ---- the notifications that carry events ---------------------------------------------------

const EVENT_MSG_SCHEMA = { oneOf: EVENT_CLASSES.map((c) => ({ $ref: `#/$defs/${c.name}` })) };

/** `codex/event/<type>` params: an event of a conversation, for its listeners (WIRE.md §6.1). */
export class EventSeqMeta {
  @Describe("The conversation's sequence number of this event: 1 for its first, kept across resume (event replay: addConversationListener's sinceSeq).")
  @IsOptional()
  @IsInt()
  seq?: number;
}

export class ConversationEventParams {
  @IsOptional() @ValidateNested() @Type(() => EventSeqMeta) _meta!: EventSeqMeta;
  @Describe('The submission id (a decimal string).') @IsString() id!: string;
  @SchemaIs(EVENT_MSG_SCHEMA) @IsObject() msg!: EventMsg;
  @IsString() conversationId!: string;
}

export class ToolCallEventMeta extends EventSeqMeta {
  @SchemaIs(STRING_OR_INTEGER, { required: true }) requestId!: string | number | undefined;
}

/** `codex/event` params: an event of a `codex` / `codex-reply` tool call (WIRE.md §6.2). */
export class ToolCallEventParams {
  @ValidateNested() @Type(() => ToolCallEventMeta) _meta!: ToolCallEventMeta;
  @IsString() id!: string;
  @SchemaIs(EVENT_MSG_SCHEMA) @IsObject() msg!: EventMsg;
}

/** `codex/event/auth_status_change` params (WIRE.md §6.3). */
export class AuthStatusChangeParams {
  @IsOptional() @IsIn(AUTH_METHODS) authMethod?: AuthMethod;
}

/** `codex/event/login_chat_gpt_complete` params (WIRE.md §6.3). */
export class LoginChatGptCompleteParams {
  @IsString() loginId!: string;
  @IsBoolean() success!: boolean;
  @IsOptional() @IsString() error?: string;
}
