/**
 * The public API for plugin authors and embedders: the `agentwire` package's entry point. The
 * built-in plugins use nothing that is not here (their services come through the tokens below).
 * A plugin needs the types at compile time; at run time it uses its PluginContext, the tokens,
 * the decorators, the error classes and the few approval helpers.
 */
import 'reflect-metadata';

export { Method, Notification, METHOD_META, type MethodOptions } from './router/method.decorator';
export type { Handler, HandlerClass, RequestContext } from './router/handler';
// The protocol's declarations (src/protocol/): the maps of every method, and the helpers to declare a plugin's own.
export { IncomingRequest, IncomingNotification, OutgoingRequest, OutgoingNotification, CodexEvent } from './protocol/methods';
export { request, notification, resolveShapes, type Deferred, type RequestSpec, type NotificationSpec, type ParamsOf, type ResultOf } from './protocol/spec';
export type { EventType } from './protocol/events';
export {
  AgentwireError,
  LocalError,
  PeerError,
  RequestTimeoutError,
  RequestAbortedError,
  TransportClosedError,
  InvalidRequestError,
  InvalidParamsError,
  InternalError,
  MethodNotFoundError,
  ErrorCode,
} from './router/errors';
export type { AgentwirePlugin, PluginContext, Disposer, ElicitationProvider, ServiceProvider } from './plugins/plugin';
export type { ToolDefinition, CallToolResult, ToolCallContext, JsonSchema } from './mcp/tool-registry';
export type { Logger } from './logging/logger';
export type { ProcessGroups } from './process/process-groups';
export type { OutgoingRequests, OutgoingRequestOptions } from './router/outgoing-requests';
export type { AgentwireConfig } from './config/config';
export {
  LOGGER,
  REQUEST_CONTEXT,
  CLI_OVERRIDES,
  PROCESS_GROUPS,
  CLIENT,
  APPROVALS,
  CONVERSATIONS,
  CONVERSATION_STORE,
  SANDBOX_PROBE,
  TASKS,
  LISTEN_SOURCES,
  CONVERSATION_RESOURCES,
  RESOURCE_SUBSCRIPTIONS,
} from './tokens';
export type { ClientChannel, ClientEra, RequestMeta } from './mcp/client-channel';
export type { EraState } from './mcp/era/connection-era';
export type { RequestProtocol } from './router/request-protocol';
export type { Approvals } from './approvals/approval-service';
export type { ConversationManager } from './conversations/conversation-manager';
export type { ConversationStore } from './conversations/conversation-store';
export type { Conversation } from './conversations/conversation';
export type { SandboxProbe, SandboxProbeResult } from './exec/sandbox';
export type { TaskStore, TaskView, TaskListener } from './tasks/task-store';
export type { TaskApprovalForms } from './tasks/task-approvals';
export type { ListenSources, ListenSource, ListenGrant } from './mcp/listen-sources';
export type { ConversationResources } from './conversations/conversation-resources';
export type { ResourceSubscriptions, ResourceSink } from './conversations/resource-subscriptions';
export type { ModelProvider, ModelProviderFactory } from './model/model-providers';
export type { ModelEvent, ModelRequest } from './model/model-events';
export { startServer, type ServerOptions, type RunningServer } from './server';
export type { AgentTool, TurnContext, TurnOrigin, TurnSettings } from './conversations/agent-tool';
export { TurnAbortedError } from './conversations/errors';
export type { ModelTool } from './model/model-events';
export type { EventMsg, ConversationEvent } from './protocol/events';
export type { FunctionCallItem, ResponseItem } from './protocol/items';
export { EXEC_APPROVAL, PATCH_APPROVAL, type ApprovalOutcome, type ExecApprovalRequest, type PatchApprovalRequest } from './approvals/approval-requests';
export { DECISION_SCHEMA, type ReviewDecision } from './approvals/review-decision';
export { execApprovalInput, patchApprovalInput } from './mcp/mrtr/approval-inputs';
export type { ElicitInputRequest } from './protocol/mcp-2026';
export { shlexJoin } from './exec/shlex-join';
