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

@Describe('The conversation is ready (first event of a `codex` tool call; `id` is "").')
export class SessionConfiguredEvent {
  @Equals('session_configured') type!: 'session_configured';
  @IsString() session_id!: string;
  @IsString() model!: string;
  @IsInt() history_log_id!: number;
  @IsInt() history_entry_count!: number;
}

@Describe('A turn started.')
export class TaskStartedEvent {
  @Equals('task_started') type!: 'task_started';
  @SchemaIs(NULLABLE_INTEGER, { required: true }) model_context_window!: number | null;
}

@Describe('A complete assistant message.')
export class AgentMessageEvent {
  @Equals('agent_message') type!: 'agent_message';
  @IsString() message!: string;
}

@Describe('A piece of the assistant message as it streams.')
export class AgentMessageDeltaEvent {
  @Equals('agent_message_delta') type!: 'agent_message_delta';
  @IsString() delta!: string;
}

@Describe('A reasoning summary.')
export class AgentReasoningEvent {
  @Equals('agent_reasoning') type!: 'agent_reasoning';
  @IsString() text!: string;
}

@Describe('A piece of a reasoning summary as it streams.')
export class AgentReasoningDeltaEvent {
  @Equals('agent_reasoning_delta') type!: 'agent_reasoning_delta';
  @IsString() delta!: string;
}

@Describe('Raw reasoning text (`show_raw_agent_reasoning`).')
export class AgentReasoningRawContentEvent {
  @Equals('agent_reasoning_raw_content') type!: 'agent_reasoning_raw_content';
  @IsString() text!: string;
}

@Describe('A piece of raw reasoning text as it streams.')
export class AgentReasoningRawContentDeltaEvent {
  @Equals('agent_reasoning_raw_content_delta') type!: 'agent_reasoning_raw_content_delta';
  @IsString() delta!: string;
}

@Describe('A new reasoning summary section starts.')
export class AgentReasoningSectionBreakEvent {
  @Equals('agent_reasoning_section_break') type!: 'agent_reasoning_section_break';
}

@Describe('A command waits for the client\'s approval (the request itself follows).')
export class ExecApprovalRequestEvent {
  @Equals('exec_approval_request') type!: 'exec_approval_request';
  @IsString() call_id!: string;
  @IsArray() @IsString({ each: true }) command!: string[];
  @IsString() cwd!: string;
  @IsOptional() @IsString() reason?: string;
}

@Describe('A patch waits for the client\'s approval (the request itself follows).')
export class ApplyPatchApprovalRequestEvent {
  @Equals('apply_patch_approval_request') type!: 'apply_patch_approval_request';
  @IsString() call_id!: string;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsObject() changes!: Record<string, FileChange>;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() grant_root?: string;
}

@Describe('A command starts.')
export class ExecCommandBeginEvent {
  @Equals('exec_command_begin') type!: 'exec_command_begin';
  @IsString() call_id!: string;
  @IsArray() @IsString({ each: true }) command!: string[];
  @IsString() cwd!: string;
  @SchemaExtra({ items: { type: 'object' } }) @IsArray() parsed_cmd!: Array<Record<string, unknown>>;
}

@Describe('A chunk of a command\'s output, as bytes.')
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

@Describe('A command ended.')
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

@Describe('A patch is being applied.')
export class PatchApplyBeginEvent {
  @Equals('patch_apply_begin') type!: 'patch_apply_begin';
  @IsString() call_id!: string;
  @IsBoolean() auto_approved!: boolean;
  @SchemaExtra(FILE_CHANGES_SCHEMA) @IsObject() changes!: Record<string, FileChange>;
}

@Describe('A patch was applied, or failed.')
export class PatchApplyEndEvent {
  @Equals('patch_apply_end') type!: 'patch_apply_end';
  @IsString() call_id!: string;
  @IsString() stdout!: string;
  @IsString() stderr!: string;
  @IsBoolean() success!: boolean;
}

@Describe('The unified diff of every change of the turn so far.')
export class TurnDiffEvent {
  @Equals('turn_diff') type!: 'turn_diff';
  @IsString() unified_diff!: string;
}

export class PlanStep {
  @IsString() step!: string;
  @IsString() status!: string;
}

@Describe('The model updated its plan (`update_plan` tool).')
export class PlanUpdateEvent {
  @Equals('plan_update') type!: 'plan_update';
  @SchemaIs(NULLABLE_STRING) @IsOptional() explanation?: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PlanStep) plan!: PlanStep[];
}

@Describe('A notice for the user (e.g. why an approval was denied).')
export class BackgroundEvent {
  @Equals('background_event') type!: 'background_event';
  @IsString() message!: string;
}

@Describe('The model stream failed and is retried.')
export class StreamErrorEvent {
  @Equals('stream_error') type!: 'stream_error';
  @IsString() message!: string;
}

@Describe('The turn failed.')
export class ErrorEvent {
  @Equals('error') type!: 'error';
  @IsString() message!: string;
}

@Describe('Token usage of one model response.')
export class TokenCountEvent {
  @Equals('token_count') type!: 'token_count';
  @IsInt() input_tokens!: number;
  @IsInt() cached_input_tokens!: number;
  @IsInt() output_tokens!: number;
  @IsInt() reasoning_output_tokens!: number;
  @IsInt() total_tokens!: number;
}

@Describe('The turn ended; `last_agent_message` is its last assistant text.')
export class TaskCompleteEvent {
  @Equals('task_complete') type!: 'task_complete';
  @SchemaIs(NULLABLE_STRING, { required: true }) last_agent_message!: string | null;
}

@Describe('The turn was aborted (interrupt, cancel, or an approval answered `abort`).')
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

export type EventMsg = InstanceType<(typeof EVENT_SHAPES)[keyof typeof EVENT_SHAPES]>;

export type EventType = EventMsg['type'];

/** One event of a conversation: the submission that produced it, and the payload. */
export interface ConversationEvent {
  /** The submission id, a decimal string (WIRE.md §6.1); "" for session_configured of the codex tool. */
  id: string;
  msg: EventMsg;
}

// ---- the notifications that carry events ---------------------------------------------------

const EVENT_MSG_SCHEMA = { oneOf: EVENT_CLASSES.map((c) => ({ $ref: `#/$defs/${c.name}` })) };

/** `codex/event/<type>` params: an event of a conversation, for its listeners (WIRE.md §6.1). */
export class ConversationEventParams {
  @Describe('The submission id (a decimal string).') @IsString() id!: string;
  @SchemaIs(EVENT_MSG_SCHEMA) @IsObject() msg!: EventMsg;
  @IsString() conversationId!: string;
}

export class ToolCallEventMeta {
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

