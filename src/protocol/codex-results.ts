import { Type } from 'class-transformer';
import { Describe, NULLABLE_STRING, SchemaExtra, SchemaIs } from './schema-meta';
import { AUTH_METHODS, REVIEW_DECISIONS, type AuthMethod, type ReviewDecision } from './values';
import { Equals, IsArray, IsIn, IsObject, IsOptional, IsString, ValidateNested } from './validators';

/** The results of codex 0.29's methods (WIRE.md §5) and the `codex` tools' structured result (§4.2). */

export class ConversationCreatedResult {
  @IsString() conversationId!: string;
  @Describe('The model the conversation runs with.') @IsString() model!: string;
}

export class AddConversationListenerResult {
  @IsString() subscriptionId!: string;
}

export class InterruptConversationResult {
  @Equals('interrupted') abortReason!: 'interrupted';
}

export class AuthStatusResult {
  @Describe('The login this process uses; absent when not logged in.') @IsOptional() @IsIn(AUTH_METHODS) authMethod?: AuthMethod;
  @IsIn(AUTH_METHODS) preferredAuthMethod!: AuthMethod;
  @Describe('Only when `includeToken` was asked for.') @IsOptional() @SchemaIs(NULLABLE_STRING) authToken?: string;
  @Describe("agentwire's: why the token could not be refreshed; never holds a secret.") @IsOptional() @IsString() authError?: string;
}

export class LoginChatGptResult {
  @IsString() loginId!: string;
  @IsString() authUrl!: string;
}

export class ConfigTomlProfile {
  @IsOptional() @IsString() model?: string;
  @IsOptional() @IsString() approvalPolicy?: string;
  @IsOptional() @IsString() modelReasoningEffort?: string;
}

export class ConfigTomlResult {
  @IsOptional() @IsString() approvalPolicy?: string;
  @IsOptional() @IsString() sandboxMode?: string;
  @IsOptional() @IsString() modelReasoningEffort?: string;
  @IsOptional() @IsString() profile?: string;
  @SchemaExtra({ additionalProperties: { $ref: '#/$defs/ConfigTomlProfile' } }) @IsObject() profiles!: Record<string, ConfigTomlProfile>;
}

export class GitDiffToRemoteResult {
  @IsString() sha!: string;
  @IsString() diff!: string;
}

export class ConversationSummary {
  @IsString() conversationId!: string;
  @Describe('The rollout file.') @IsString() path!: string;
  @Describe('The first message the user sent; "" when none was sent yet.') @IsString() preview!: string;
  @Describe('When the conversation started, ISO 8601 in UTC.') @IsString() timestamp!: string;
  @IsOptional() @IsString() cwd?: string;
  @IsOptional() @IsString() model?: string;
}

export class ListConversationsResult {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ConversationSummary) items!: ConversationSummary[];
  @Describe('Absent on the last page.') @IsOptional() @IsString() nextCursor?: string;
}

/** One entry of `initialMessages`: the history of a resumed conversation, as events would have shown it. */
export type InitialMessage =
  | { type: 'user_message'; message: string; images?: string[] }
  | { type: 'agent_message'; message: string }
  | { type: 'agent_reasoning'; text: string }
  | { type: 'tool_call'; call_id: string; name: string; arguments: string }
  | { type: 'tool_output'; call_id: string; output: string };

export class ResumeConversationResult extends ConversationCreatedResult {
  @SchemaExtra({ items: { type: 'object', properties: { type: { enum: ['user_message', 'agent_message', 'agent_reasoning', 'tool_call', 'tool_output'] } }, required: ['type'] } })
  @IsArray()
  initialMessages!: InitialMessage[];
}

/** `structuredContent` of a `codex` / `codex-reply` result (WIRE.md §4.2): the tools' `outputSchema`. */
export class CodexToolResult {
  @Describe('Continue the session with codex-reply and this id.') @IsString() sessionId!: string;
  @Describe('Same as sessionId.') @IsOptional() @IsString() conversationId?: string;
  @Describe('The last agent message of the turn; null when there was none.') @SchemaIs(NULLABLE_STRING) @IsOptional() lastAgentMessage?: string | null;
}

/** The answer to an exec or patch approval request (WIRE.md §8.1, §8.2). */
export class ReviewDecisionResult {
  @IsIn(REVIEW_DECISIONS) decision!: ReviewDecision;
}
