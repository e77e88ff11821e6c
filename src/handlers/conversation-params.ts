import { Type } from 'class-transformer';
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../config/config-schema';
import type { ReasoningEffort, ReasoningSummary, SandboxPolicy } from '../config/conversation-settings';
import { InputItem } from '../protocol/input-items';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from '../validation/class-validator';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed', 'none'] as const;

/** `newConversation` params (WIRE.md §5.1); every field optional, the object required. */
export class NewConversationParams {
  @IsOptional() @IsString() model?: string;
  @IsOptional() @IsString() profile?: string;
  @IsOptional() @IsString() cwd?: string;
  @IsOptional() @IsIn(APPROVAL_POLICIES) approvalPolicy?: ApprovalPolicy;
  @IsOptional() @IsIn(SANDBOX_MODES) sandbox?: SandboxMode;
  @IsOptional() @IsObject() config?: Record<string, unknown>;
  @IsOptional() @IsString() baseInstructions?: string;
  @IsOptional() @IsBoolean() includePlanTool?: boolean;
  @IsOptional() @IsBoolean() includeApplyPatchTool?: boolean;
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

/** The wire SandboxPolicy as the engine's type (only the members of its mode). */
export function toSandboxPolicy(p: SandboxPolicyParams): SandboxPolicy {
  if (p.mode !== 'workspace-write') return { mode: p.mode };
  return {
    mode: 'workspace-write',
    writable_roots: p.writable_roots ?? [],
    network_access: p.network_access ?? false,
    exclude_tmpdir_env_var: p.exclude_tmpdir_env_var ?? false,
    exclude_slash_tmp: p.exclude_slash_tmp ?? false,
  };
}

/** `listConversations` params (WIRE.md §5.14); the object itself may be omitted. */
export class ListConversationsParams {
  /** Rows per page: default 20; more than 100 is served as 100. */
  @IsOptional() @IsInt() @Min(1) pageSize?: number;
  /** The `nextCursor` of the previous page. */
  @IsOptional() @IsString() cursor?: string;
}

/** `resumeConversation` params (WIRE.md §5.14): `path` or `conversationId` (the handler checks that one is there). */
export class ResumeConversationParams {
  @IsOptional() @IsString() path?: string;
  @IsOptional() @IsUUID() conversationId?: string;
  /** newConversation's params, applied over the recorded settings. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewConversationParams) overrides?: NewConversationParams;
}

/** `forkConversation` params (WIRE.md §5.14). */
export class ForkConversationParams extends ConversationIdParams {
  /** The source's rollout file, when the source is not live (or to fork from the file rather than the live history). */
  @IsOptional() @IsString() path?: string;
  @IsOptional() @IsInt() @Min(0) dropLastTurns?: number;
}

/** `archiveConversation` params (WIRE.md §5.14). */
export class ArchiveConversationParams extends ConversationIdParams {
  @IsString() rolloutPath!: string;
}
