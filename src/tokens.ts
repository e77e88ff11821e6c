/**
 * The injection tokens of the public API, in one place (STYLE.md rule 5). Each is defined next to
 * the interface it names, so the modules that use a token do not depend on this catalogue; every
 * one is a registry symbol, so a plugin built against another copy of agentwire names the same
 * tokens. The built-in plugins reach the server's services through these and nothing else.
 */
export { LOGGER } from './logging/logger';
export { REQUEST_CONTEXT } from './router/handler';
export { CLI_OVERRIDES } from './config/config';
export { PROCESS_GROUPS } from './process/process-groups';
export { CLIENT } from './mcp/client-channel';
export { APPROVALS } from './approvals/approval-service';
export { CONVERSATIONS } from './conversations/conversation-manager';
export { CONVERSATION_STORE } from './conversations/conversation-store';
export { SANDBOX_PROBE } from './exec/sandbox-probe';
export { TASKS } from './tasks/task-store';
export { LISTEN_SOURCES } from './mcp/listen-sources';
export { CONVERSATION_RESOURCES } from './conversations/conversation-resources';
export { RESOURCE_SUBSCRIPTIONS } from './conversations/resource-subscriptions';
