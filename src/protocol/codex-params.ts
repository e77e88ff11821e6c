import { Expose, Type } from 'class-transformer';
import { InputItem } from './input-items';
import { Describe, SchemaExtra } from './schema-meta';
import {
  APPROVAL_POLICIES,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  SANDBOX_MODES,
  type ApprovalPolicy,
  type ReasoningEffort,
  type ReasoningSummary,
  type SandboxMode,
} from './values';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Min, ValidateBy, ValidateNested } from './validators';

/**
 * The params of codex 0.29's methods (WIRE.md §5) and of the `codex` / `codex-reply` tools
 * (§4.1). Unknown members are stripped, never refused (codex ignores them).
 */

/** Wire names of the settings a new conversation takes: newConversation's, or the `codex` tool's. */
interface SettingNames {
  approvalPolicy: string;
  baseInstructions: string;
  includePlanTool: string;
}

/**
 * What a new conversation asks for, declared once for both spellings: `newConversation` says
 * `approvalPolicy`, the `codex` tool says `approval-policy` (0.29's names). class-transformer's
 * `@Expose` maps the wire name to the one property name, so both reach the settings derivation
 * as the same object, and the tool's input schema is generated with the wire names.
 */
function conversationSettings(className: string, names: SettingNames, modelDescription: string) {
  class ConversationSettingsParams {
    @Describe(modelDescription) @IsOptional() @IsString() model?: string;
    @Describe('config.toml profile to use.') @IsOptional() @IsString() profile?: string;
    @Describe("Working directory (relative: from the server's).") @IsOptional() @IsString() cwd?: string;
    @Describe('When commands need approval.') @Expose({ name: names.approvalPolicy }) @IsOptional() @IsIn(APPROVAL_POLICIES) approvalPolicy?: ApprovalPolicy;
    @Describe('Sandbox for commands.') @IsOptional() @IsIn(SANDBOX_MODES) sandbox?: SandboxMode;
    @Describe('config.toml overrides: dotted keys, JSON values.') @SchemaExtra({ additionalProperties: true }) @IsOptional() @IsObject() config?: Record<string, unknown>;
    @Describe('Replaces the built-in system prompt.') @Expose({ name: names.baseInstructions }) @IsOptional() @IsString() baseInstructions?: string;
    @Describe('Offer the update_plan tool.') @Expose({ name: names.includePlanTool }) @IsOptional() @IsBoolean() includePlanTool?: boolean;
  }
  Object.defineProperty(ConversationSettingsParams, 'name', { value: className });
  return ConversationSettingsParams;
}

/** `newConversation` params (WIRE.md §5.1); every field optional, the object required. */
export class NewConversationParams extends conversationSettings(
  'ConversationSettingsParams',
  { approvalPolicy: 'approvalPolicy', baseInstructions: 'baseInstructions', includePlanTool: 'includePlanTool' },
  'Model name, e.g. "o3".',
) {
  @Describe('Offer the apply_patch function tool (Responses API).') @IsOptional() @IsBoolean() includeApplyPatchTool?: boolean;
}

/**
 * The `codex` tool's arguments (WIRE.md §4.1): 0.29's names, types, enums and required list.
 * After `plainToInstance` the members carry newConversation's property names.
 */
export class CodexToolParams extends conversationSettings(
  'CodexToolSettingsParams',
  { approvalPolicy: 'approval-policy', baseInstructions: 'base-instructions', includePlanTool: 'include-plan-tool' },
  'Model override, e.g. "o3".',
) {
  @Describe('First user message.') @IsString() prompt!: string;
}

/** The `codex-reply` tool's arguments: 0.29's, plus the `conversationId` of later codex clients. */
export class CodexReplyToolParams {
  @Describe('Next user message.') @IsString() prompt!: string;
  @Describe('Session id from a codex result.') @IsOptional() @IsString() sessionId?: string;
  @Describe('Same as sessionId (newer clients).') @IsOptional() @IsString() conversationId?: string;
}

/** Params naming a conversation (ids are UUIDs; anything else is a params error, WIRE.md §5). */
export class ConversationIdParams {
  @IsUUID() conversationId!: string;
}

export class SubscriptionIdParams {
  @IsUUID() subscriptionId!: string;
}

export class SendUserMessageParams extends ConversationIdParams {
  @IsArray() @ValidateNested({ each: true }) @Type(() => InputItem) items!: InputItem[];
}

/** `SandboxPolicy`, tagged by `mode`, snake_case fields. */
export class SandboxPolicyParams {
  @IsIn(SANDBOX_MODES) mode!: SandboxMode;
  @IsOptional() @IsArray() @IsString({ each: true }) writable_roots?: string[];
  @IsOptional() @IsBoolean() network_access?: boolean;
  @IsOptional() @IsBoolean() exclude_tmpdir_env_var?: boolean;
  @IsOptional() @IsBoolean() exclude_slash_tmp?: boolean;
}

/** `sendUserTurn` params: all required (WIRE.md §5.5). */
export class SendUserTurnParams extends SendUserMessageParams {
  @IsString() cwd!: string;
  @IsIn(APPROVAL_POLICIES) approvalPolicy!: ApprovalPolicy;
  @IsObject() @ValidateNested() @Type(() => SandboxPolicyParams) sandboxPolicy!: SandboxPolicyParams;
  @IsString() model!: string;
  @IsIn(REASONING_EFFORTS) effort!: ReasoningEffort;
  @IsIn(REASONING_SUMMARIES) summary!: ReasoningSummary;
}

export class GitDiffToRemoteParams {
  @IsString() cwd!: string;
}

/** `listConversations` params (WIRE.md §5.14); the object itself may be omitted. */
export class ListConversationsParams {
  @Describe('Rows per page: default 20; more than 100 is served as 100.') @IsOptional() @IsInt() @Min(1) pageSize?: number;
  @Describe('The `nextCursor` of the previous page.') @IsOptional() @IsString() cursor?: string;
}

/** `resumeConversation` params (WIRE.md §5.14): `path` or `conversationId` (the handler checks that one is there). */
export class ResumeConversationParams {
  @IsOptional() @IsString() path?: string;
  @IsOptional() @IsUUID() conversationId?: string;
  @Describe("newConversation's params, applied over the recorded settings.")
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NewConversationParams)
  overrides?: NewConversationParams;
}

/** `forkConversation` params (WIRE.md §5.14). */
export class ForkConversationParams extends ConversationIdParams {
  @Describe("The source's rollout file, when the source is not live (or to fork from the file rather than the live history).")
  @IsOptional()
  @IsString()
  path?: string;
  @IsOptional() @IsInt() @Min(0) dropLastTurns?: number;
}

/** `archiveConversation` params (WIRE.md §5.14). */
export class ArchiveConversationParams extends ConversationIdParams {
  @IsString() rolloutPath!: string;
}

/** `getAuthStatus` params (WIRE.md §5.7); the object itself is required. */
export class GetAuthStatusParams {
  @IsOptional() @IsBoolean() includeToken?: boolean;
  @IsOptional() @IsBoolean() refreshToken?: boolean;
}

/** `cancelLoginChatGpt` params (WIRE.md §5.9); ids are UUIDs. */
export class CancelLoginChatGptParams {
  @IsUUID() loginId!: string;
}

/** `loginApiKey` params (WIRE.md §5.14). */
export class LoginApiKeyParams {
  // The rule's message never quotes the value: it is a secret.
  @IsString()
  @ValidateBy({ name: 'notBlank', validator: { validate: (v: unknown) => typeof v === 'string' && v.trim() !== '', defaultMessage: () => 'apiKey must not be empty' } })
  apiKey!: string;
}
