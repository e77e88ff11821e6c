/**
 * The public API for plugin authors and embedders. A plugin needs only the types at compile time;
 * at run time everything it uses comes through its PluginContext.
 */
import 'reflect-metadata';

export { Method, Notification, METHOD_META, type MethodOptions } from './router/method.decorator';
export type { Handler, HandlerClass, RequestContext } from './router/handler';
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
export { LOGGER, REQUEST_CONTEXT, CLI_OVERRIDES, PROCESS_GROUPS } from './tokens';
export { startServer, type ServerOptions, type RunningServer } from './server';
export type { AgentTool, TurnContext, TurnOrigin, TurnSettings } from './conversations/agent-tool';
export { TurnAbortedError } from './conversations/errors';
export type { ModelTool } from './model/model-events';
export type { EventMsg, ConversationEvent } from './protocol/events';
export type { FunctionCallItem, ResponseItem } from './protocol/items';
export type { ApprovalOutcome, ExecApprovalRequest, PatchApprovalRequest } from './approvals/approval-requests';
