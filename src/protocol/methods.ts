import { EVENT_TYPES } from './event-types';
import type { ConversationEventParams, EventType } from './events';
import { CancelledNotificationParams, InitializeParams, LoggingSetLevelParams, ToolsListParams } from './mcp-params';
import { ELICITATION_CREATE, ModernMethod, ModernNotification } from './mcp-2026-names';
import { ResourceMethod, ResourceNotification } from './resource-uris';
import { notification, request, type NotificationSpec, type ShapeClass } from './spec';

/* eslint-disable @typescript-eslint/no-require-imports -- required on first use, see below */
/**
 * The modules of shapes agentwire only sends: approval requests and their answers, the codex
 * methods' results, conversation events. Only the schema generator reads these classes, so they
 * are named through these functions (`Deferred`, spec.ts) and their modules load when it asks,
 * not at start-up.
 */
const approvals = () => require('./approvals') as typeof import('./approvals');
const results = () => require('./codex-results') as typeof import('./codex-results');
const events = () => require('./events') as typeof import('./events');
/**
 * The params classes (and the shapes beside them) of the codex methods, tasks, resources and the
 * 2026-07-28 revision, named the same way: the router resolves a method's params class when a
 * request of it first arrives (method.decorator.ts), so these modules load with the first such
 * request instead of before the `initialize` reply. MCP's results and the params of what
 * agentwire sends (mcp.ts) load only for the schema generator. Only `initialize` and the other MCP
 * params (mcp-params.ts) are imported, with the names the era gate needs (mcp-2026-names.ts,
 * resource-uris.ts).
 */
const codexParams = () => require('./codex-params') as typeof import('./codex-params');
const tasks = () => require('./tasks') as typeof import('./tasks');
const resources = () => require('./resources') as typeof import('./resources');
const modern = () => require('./mcp-2026') as typeof import('./mcp-2026');
const mcp = () => require('./mcp') as typeof import('./mcp');
/* eslint-enable @typescript-eslint/no-require-imports -- end of the modules required on first use */

/**
 * Every method agentwire serves and sends, one declaration each, in one map per direction. The
 * router registers handlers from IncomingRequest / IncomingNotification entries (`@Method`), the
 * server sends OutgoingRequest / OutgoingNotification entries, and conversation events go out as
 * the `codex/event/<type>` notification of their CodexEvent entry. `agentwire schema` and
 * docs/PROTOCOL.md are generated from these maps (`group` names the section of the docs). A
 * method's `description`, `paramsDoc` and `errors` are the prose of its row in docs/PROTOCOL.md.
 */

/** Requests the client sends to agentwire. */
export const IncomingRequest = {
  initialize: request({
    name: 'initialize',
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake'],
    params: InitializeParams,
    result: () => mcp().InitializeResult,
    paramsRequired: true,
    paramsDoc: 'required object: `protocolVersion: string`, `capabilities?: object`, `clientInfo: {name: string, version: string, title?: string}`',
    description:
      '`{protocolVersion, capabilities: {tools: {listChanged: true}, logging: {}, resources: {subscribe: true, listChanged: true}}, serverInfo: {name: "agentwire", title: "agentwire (Codex MCP server)", version}}`; for `2025-11-25` the capabilities add `tasks` (see "Tasks")',
    errors: '`-32602` for missing params or bad fields; `-32600` `initialize called more than once` on a second call (the session continues)',
  }),
  ping: request({
    name: 'ping',
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake'],
    result: () => mcp().EmptyResult,
    paramsDoc: 'anything, even an array (ignored)',
    description: '`{}`',
    errors: 'none',
  }),
  toolsList: request({
    name: ModernMethod.ToolsList,
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake', 'modern'],
    params: ToolsListParams,
    result: () => mcp().ToolsListResult,
    paramsDoc: 'optional object: `cursor?: string`',
    description: '`{tools: [...], nextCursor?: string}`, 50 tools per page',
    errors: '`-32602` if `cursor` is not a string or not one this server gave out',
  }),
  toolsCall: request({
    name: ModernMethod.ToolsCall,
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake', 'modern'],
    params: () => modern().CallToolRequestParams,
    result: () => [mcp().CallToolResult, modern().InputRequiredResult, tasks().TaskResult],
    paramsRequired: true,
    paramsDoc:
      'required object: `name: string`, `arguments?: object` (default `{}`); in the modern era also `inputResponses?: object`, `requestState?: string` (a multi round-trip retry, below)',
    description: 'an MCP `CallToolResult`: `{content: [...], structuredContent?, isError?}`',
    errors:
      "`-32602` for missing params, an unknown tool, arguments that fail the tool's `inputSchema`, and a `codex-reply` call with no session id or two different ones; a tool that fails while it runs gives a result with `isError: true`, not an error",
  }),
  loggingSetLevel: request({
    name: 'logging/setLevel',
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake'],
    params: LoggingSetLevelParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: 'required object: `level`, one of `debug`, `info`, `notice`, `warning`, `error`, `critical`, `alert`, `emergency`',
    description: '`{}`',
    errors: '`-32602` for missing params or an unknown level',
  }),
  serverDiscover: request({
    name: ModernMethod.Discover,
    direction: 'incoming',
    group: 'modern',
    eras: ['modern'],
    result: () => modern().DiscoverResult,
    paramsDoc: 'only `_meta`',
    description:
      '`{resultType: "complete", supportedVersions: ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"], capabilities: {tools: {listChanged: true}, resources: {subscribe: true, listChanged: true}, extensions: {"io.modelcontextprotocol/tasks": {}}}, instructions, ttlMs: 300000, cacheScope: "public"}`',
    errors: '`-32602` / `-32022` for a bad `_meta` (the era stays undecided); `-32601` once the process is in the handshake era',
  }),
  subscriptionsListen: request({
    name: ModernMethod.SubscriptionsListen,
    direction: 'incoming',
    group: 'modern',
    eras: ['modern'],
    params: () => modern().SubscriptionsListenParams,
    result: () => modern().ToolsListChangedParams,
    paramsRequired: true,
    longLived: true,
    paramsDoc: '`{notifications: {toolsListChanged?, promptsListChanged?, resourcesListChanged?, resourceSubscriptions?, taskIds?}}`',
    description:
      'none while open; first `notifications/subscriptions/acknowledged` with the honoured filter (`toolsListChanged`; `resourcesListChanged`; `resourceSubscriptions` cut to the URIs of conversations that exist; never `promptsListChanged`; `taskIds`: the named tasks that exist), then `notifications/tools/list_changed` whenever a plugin adds a tool, `notifications/resources/list_changed` when a conversation is created or archived, and `notifications/resources/updated {uri}` after each step of a subscribed conversation (see "Conversations as resources"), and `notifications/tasks` (the task\'s current state, then one per status change) for each honoured task (at most 1000 per stream); every message carries `_meta["io.modelcontextprotocol/subscriptionId"]` = the listen request\'s id',
    errors:
      '`-32602` for a missing or bad `notifications` filter; `-32021` for `taskIds` without the tasks extension capability; the client ends it with `notifications/cancelled` (no reply follows)',
    kindDoc: 'request (a stream)',
  }),
  newConversation: request({
    name: 'newConversation',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().NewConversationParams,
    result: () => results().ConversationCreatedResult,
    paramsRequired: true,
    ordered: true,
    paramsDoc:
      "`model?`, `profile?`, `cwd?` (relative → the server's cwd; a missing folder is not rejected), `approvalPolicy?` (`untrusted` | `on-failure` | `on-request` | `never`), `sandbox?` (`read-only` | `workspace-write` | `danger-full-access`), `config?` (dotted key → JSON value; `null` removes the key), `baseInstructions?`, `includePlanTool?`, `includeApplyPatchTool?`",
    description: '`{conversationId, model}` (the effective model); the rollout file exists when this arrives. No event is sent',
    errors:
      '`-32600` ``error deriving config: config profile `x` not found`` and other `error deriving config: …`; `-32603` `error creating conversation: …`; `-32602` for bad fields',
  }),
  addConversationListener: request({
    name: 'addConversationListener',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => resources().AddConversationListenerParams,
    result: () => results().AddConversationListenerResult,
    paramsRequired: true,
    paramsDoc: '`{conversationId, sinceSeq?}` (`sinceSeq`: an integer ≥ 0, the last event number the client has)',
    description:
      '`{subscriptionId}`; events kept while no listener existed are delivered now. With `sinceSeq`, the events numbered above it that the conversation still holds are sent first, then the live ones (see "Event numbers and replay" below); the kept events are dropped instead',
    errors: '`-32600` `conversation not found: <id>`; `-32602` for a `sinceSeq` that is not a non-negative integer',
  }),
  removeConversationListener: request({
    name: 'removeConversationListener',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().SubscriptionIdParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{subscriptionId}`',
    description: '`{}`; once the last listener is gone, events are kept again',
    errors: '`-32600` `subscription not found: <id>`',
  }),
  sendUserMessage: request({
    name: 'sendUserMessage',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().SendUserMessageParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{conversationId, items: InputItem[]}` (`{type:"text",data:{text}}`, `{type:"image",data:{image_url}}`, `{type:"localImage",data:{path}}`; `[]` allowed)',
    description: '`{}` right after the input is queued; a message sent while a turn runs joins that turn',
    errors: '`-32600` `conversation not found: <id>`; `-32602`, for example `items.0.data.text: must be a string`',
  }),
  sendUserTurn: request({
    name: 'sendUserTurn',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().SendUserTurnParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc:
      "all required: `conversationId`, `items`, `cwd` (relative → the server's cwd), `approvalPolicy`, `sandboxPolicy` (`{mode, writable_roots?, network_access?, exclude_tmpdir_env_var?, exclude_slash_tmp?}`), `model`, `effort` (`minimal` | `low` | `medium` | `high`), `summary` (`auto` | `concise` | `detailed` | `none`)",
    description: '`{}`; the settings apply to that turn only. If a turn is running, the items join it and these settings are not used',
    errors: 'as `sendUserMessage`',
  }),
  interruptConversation: request({
    name: 'interruptConversation',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().ConversationIdParams,
    result: () => results().InterruptConversationResult,
    paramsRequired: true,
    paramsDoc: '`{conversationId}`',
    description: '`{abortReason: "interrupted"}`, after the `turn_aborted` event; at once, with no event, when no turn runs (0.29 never answers that case)',
    errors: '`-32600` `conversation not found: <id>`',
  }),
  gitDiffToRemote: request({
    name: 'gitDiffToRemote',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    params: () => codexParams().GitDiffToRemoteParams,
    result: () => results().GitDiffToRemoteResult,
    paramsRequired: true,
    paramsDoc: '`{cwd}`',
    description: '`{sha, diff}`: the remote-tracking base commit and the diff of the work tree against it, untracked files as new files',
    errors: '`-32600` `failed to compute git diff to remote for cwd: "<cwd>"`',
  }),
  getConfigToml: request({
    name: 'getConfigToml',
    direction: 'incoming',
    group: 'conversations',
    eras: ['codex'],
    result: () => results().ConfigTomlResult,
    paramsDoc: 'none (an object is ignored)',
    description:
      '`{approvalPolicy?, sandboxMode?, modelReasoningEffort?, profile?, profiles: {name: {model?, approvalPolicy?, modelReasoningEffort?}}}` read from config.toml now (not the `-c` overrides); `{profiles: {}}` when there is no file',
    errors: '`-32603` `failed to load config.toml: …` (unreadable) or `failed to parse config.toml: …`',
  }),
  listConversations: request({
    name: 'listConversations',
    direction: 'incoming',
    group: 'history',
    eras: ['codex'],
    params: () => codexParams().ListConversationsParams,
    result: () => results().ListConversationsResult,
    paramsDoc: 'optional object: `pageSize?` (integer ≥ 1, default 20, at most 100 served), `cursor?`',
    description:
      '`{items: [{conversationId, path, preview, timestamp, cwd?, model?}], nextCursor?}`, newest first; `preview` is the first user message (`""` when none), `timestamp` UTC ISO; `nextCursor` absent on the last page; archived conversations are not listed',
    errors: '`-32602` for a bad cursor or pageSize',
  }),
  resumeConversation: request({
    name: 'resumeConversation',
    direction: 'incoming',
    group: 'history',
    eras: ['codex'],
    params: () => codexParams().ResumeConversationParams,
    result: () => results().ResumeConversationResult,
    paramsRequired: true,
    ordered: true,
    paramsDoc: '`{path?, conversationId?, overrides?}`: one of `path` / `conversationId`; `overrides` takes the params of `newConversation`',
    description:
      '`{conversationId, model, initialMessages}`; the conversation appends to its rollout; events are buffered until a listener is added and submission ids start again at `"0"`; an id that is already live answers with the live conversation (overrides ignored)',
    errors:
      '`-32602` without path and id; `-32600` `conversation not found: <id> (…)`, `rollout file not found: <path>`, `rollout path is not inside <home>/sessions: <path>` (real path), `<path> is not a rollout file: …` (not a regular file, larger than `rollout_max_bytes`, no session line, an id that is not a UUID), `rollout <path> belongs to conversation <x>, not <y>`, `conversation <id> is live in another agentwire process (pid N); …`, `error deriving config: …`. The approval and sandbox policies come from the config and `overrides`; the recorded ones can only narrow them',
  }),
  forkConversation: request({
    name: 'forkConversation',
    direction: 'incoming',
    group: 'history',
    eras: ['codex'],
    params: () => codexParams().ForkConversationParams,
    result: () => results().ConversationCreatedResult,
    paramsRequired: true,
    ordered: true,
    paramsDoc: '`{conversationId, path?, dropLastTurns?}` (integer ≥ 0, default 0)',
    description:
      "`{conversationId, model}`: a new conversation (new id, new rollout) whose history is a copy of the source's less its last `dropLastTurns` turns; a turn still running is not copied",
    errors: '`-32600` `cannot drop N turns: conversation <id> has M`, and the errors of `resumeConversation`',
  }),
  archiveConversation: request({
    name: 'archiveConversation',
    direction: 'incoming',
    group: 'history',
    eras: ['codex'],
    params: () => codexParams().ArchiveConversationParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    ordered: true,
    paramsDoc: '`{conversationId, rolloutPath}`',
    description: '`{}`: a live conversation is ended, the rollout moves to `<home>/archived_sessions/` and no longer lists',
    errors:
      '`-32600` `rollout path is not inside <home>/sessions: …` (real path), `<home>/archived_sessions is a link out of <home>: …`, `rollout … does not belong to conversation …`, `rollout file not found: …`, `conversation <id> is live in another agentwire process (pid N); …`',
  }),
  getAuthStatus: request({
    name: 'getAuthStatus',
    direction: 'incoming',
    group: 'auth',
    eras: ['codex'],
    params: () => codexParams().GetAuthStatusParams,
    result: () => results().AuthStatusResult,
    paramsRequired: true,
    paramsDoc: 'required object (send `{}`): `includeToken?: boolean`, `refreshToken?: boolean`',
    description: '`{preferredAuthMethod: "chatgpt" | "apikey", authMethod?: "apikey" | "chatgpt", authToken?: string, authError?: string}`',
    errors: '`-32602` when params are missing, are not an object, or a field is not a boolean',
  }),
  loginChatGpt: request({
    name: 'loginChatGpt',
    direction: 'incoming',
    group: 'auth',
    eras: ['codex'],
    result: () => results().LoginChatGptResult,
    paramsDoc: 'none (an object is ignored)',
    description:
      '`{loginId, authUrl}` at once; callback server on 127.0.0.1:`login_port` (default 1455; 0 = any free port); the outcome follows as `codex/event/login_chat_gpt_complete` `{loginId, success, error?}` then `codex/event/auth_status_change` `{authMethod?}`',
    errors: '`-32603` `failed to start login server: Address in use (os error 98)` (a login is running, or the port is taken)',
  }),
  cancelLoginChatGpt: request({
    name: 'cancelLoginChatGpt',
    direction: 'incoming',
    group: 'auth',
    eras: ['codex'],
    params: () => codexParams().CancelLoginChatGptParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{loginId}` (UUID)',
    description: '`{}`, then `login_chat_gpt_complete` `{loginId, success:false, error:"Login server error: Login was not completed"}` and `auth_status_change`',
    errors: '`-32600` `login id not found: <id>`; `-32602` when loginId is missing or not a UUID',
  }),
  logoutChatGpt: request({
    name: 'logoutChatGpt',
    direction: 'incoming',
    group: 'auth',
    eras: ['codex'],
    result: () => mcp().EmptyResult,
    paramsDoc: 'none (an object is ignored)',
    description: '`{}` after auth.json is deleted (whatever it holds), then `auth_status_change` (`{}` unless `OPENAI_API_KEY` is set)',
    errors: '`-32603` `logout failed: <reason>`',
  }),
  loginApiKey: request({
    name: 'loginApiKey',
    direction: 'incoming',
    group: 'auth',
    eras: ['codex'],
    params: () => codexParams().LoginApiKeyParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{apiKey: string}` (not blank)',
    description: '`{}` after auth.json becomes `{"OPENAI_API_KEY": key}` (atomic, 0600), then `auth_status_change` `{authMethod:"apikey"}`',
    errors: '`-32602` `apiKey: must be a string` / `apiKey: must not be empty` (the value is never echoed); `-32603` `failed to save api key: <reason>`',
  }),
  tasksGet: request({
    name: ModernMethod.TasksGet,
    direction: 'incoming',
    group: 'modern',
    eras: ['handshake', 'modern'],
    params: () => tasks().TaskIdParams,
    result: () => tasks().TaskResult,
    paramsRequired: true,
    paramsDoc: '`{taskId}`',
    description:
      '`{resultType: "complete", taskId, status, statusMessage?, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs}` plus `inputRequests` (`input_required`), `result` (`completed`) or `error` (`failed`); in the handshake era the 2025-11-25 `Task` (below)',
    errors: "`-32602` for an unknown, expired or malformed id; `-32021` without the tasks extension in the request's capabilities",
    kindDoc: 'request (tasks extension)',
  }),
  tasksUpdate: request({
    name: ModernMethod.TasksUpdate,
    direction: 'incoming',
    group: 'modern',
    eras: ['modern'],
    params: () => tasks().TaskUpdateParams,
    result: () => tasks().TaskResult,
    paramsRequired: true,
    paramsDoc: '`{taskId, inputResponses: {key: ElicitResult}}`',
    description: '`{resultType: "complete"}`; unknown or answered keys are ignored',
    errors: '`-32602` unknown task; `-32021` without the capability; `-32601` in the handshake era',
    kindDoc: 'request (tasks extension, modern era only)',
  }),
  tasksCancel: request({
    name: ModernMethod.TasksCancel,
    direction: 'incoming',
    group: 'modern',
    eras: ['handshake', 'modern'],
    params: () => tasks().TaskIdParams,
    result: () => tasks().TaskResult,
    paramsRequired: true,
    paramsDoc: '`{taskId}`',
    description: 'modern: `{resultType: "complete"}` once the turn\'s processes are gone (a task already ended stays as it is); handshake era: the task, `status: "cancelled"`',
    errors: '`-32602` unknown task; handshake era also for a task already completed, failed or cancelled; `-32021` without the capability',
  }),
  tasksResult: request({
    name: 'tasks/result',
    direction: 'incoming',
    group: 'tasks-handshake',
    eras: ['handshake'],
    params: () => tasks().TaskIdParams,
    result: () => [mcp().CallToolResult],
    paramsRequired: true,
    longLived: true,
    paramsDoc: '`{taskId}`',
    description: 'what the `tools/call` would have returned, with `_meta["io.modelcontextprotocol/related-task"]`; waits until the task is terminal',
    errors: '`-32602` unknown task; the task\'s own error for a failed one; `-32603` "task … was cancelled"; `-32601` in the modern era',
    kindDoc: 'request (handshake era)',
  }),
  tasksList: request({
    name: 'tasks/list',
    direction: 'incoming',
    group: 'tasks-handshake',
    eras: ['handshake'],
    params: () => tasks().TaskListParams,
    result: () => tasks().TaskListResult,
    paramsDoc: '`{cursor?}`',
    description: '`{tasks: [Task], nextCursor?}`, 50 a page, every task stored in this home',
    errors: '`-32602` for a cursor this server did not give out; `-32601` in the modern era',
    kindDoc: 'request (handshake era)',
  }),
  resourcesList: request({
    name: ResourceMethod.List,
    direction: 'incoming',
    group: 'resources',
    eras: ['handshake', 'modern'],
    params: () => resources().ListResourcesParams,
    result: () => resources().ListResourcesResult,
    paramsDoc: 'optional object: `cursor?: string`',
    description:
      '`{resources: [{uri: "agentwire://conversations/<id>", name: <id>, title: <first line of the first user message, at most 120 characters>, description: "<idle|running> · <model> · <cwd>", mimeType: "application/json", annotations: {lastModified}}], nextCursor?}`: the rollouts under `<home>/sessions`, newest first, 20 a page, read as `listConversations` reads them (file heads only, plus one stat per row). Archived conversations are not listed. From this call on, the client is sent `notifications/resources/list_changed`',
    errors: '`-32602` for a cursor this server did not give out',
  }),
  resourcesTemplatesList: request({
    name: ResourceMethod.TemplatesList,
    direction: 'incoming',
    group: 'resources',
    eras: ['handshake', 'modern'],
    params: () => resources().ListResourceTemplatesParams,
    result: () => resources().ListResourceTemplatesResult,
    paramsDoc: 'optional object: `cursor?: string` (ignored: one page)',
    description: '`{resourceTemplates: [...]}`: `agentwire://conversations/{id}`, `…/{id}/transcript`, `…/{id}/diff`, `…/{id}/events{?since}`',
    errors: 'none',
  }),
  resourcesRead: request({
    name: ResourceMethod.Read,
    direction: 'incoming',
    group: 'resources',
    eras: ['handshake', 'modern'],
    params: () => resources().ResourceUriParams,
    result: () => resources().ReadResourceResult,
    paramsRequired: true,
    paramsDoc: '`{uri}`',
    description: '`{contents: [{uri, mimeType, text}]}`, see the table below',
    errors:
      '`-32602` `Invalid resource URI …: <what is wrong>` for a URI that is not one of the four forms (an id that is not a UUID, another view, a query other than `since=<integer ≥ 0>` on `events`); `-32002` `Resource not found: <uri>` (`data: {uri}`) when no live conversation, no rollout in `sessions/` and none in `archived_sessions/` has that id; `-32603` when the rollout cannot be read',
  }),
  resourcesSubscribe: request({
    name: ResourceMethod.Subscribe,
    direction: 'incoming',
    group: 'resources',
    eras: ['handshake'],
    params: () => resources().ResourceUriParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{uri}`',
    description: '`{}`; from now on `notifications/resources/updated {uri}` after each step of that conversation',
    errors: 'as `resources/read`',
  }),
  resourcesUnsubscribe: request({
    name: ResourceMethod.Unsubscribe,
    direction: 'incoming',
    group: 'resources',
    eras: ['handshake'],
    params: () => resources().ResourceUriParams,
    result: () => mcp().EmptyResult,
    paramsRequired: true,
    paramsDoc: '`{uri}`',
    description: '`{}` (also for a URI that was not subscribed)',
    errors: '`-32602` without a `uri` string',
  }),
} as const;

/** Notifications the client sends to agentwire. */
export const IncomingNotification = {
  initialized: notification({
    name: 'notifications/initialized',
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake'],
    paramsDoc: 'none (ignored)',
    description: 'none; it marks the handshake as finished',
  }),
  cancelled: notification({
    name: ModernNotification.Cancelled,
    direction: 'incoming',
    group: 'lifecycle',
    eras: ['handshake', 'modern'],
    params: CancelledNotificationParams,
    paramsDoc: '`{requestId: string | integer, reason?: string}`',
    description: 'none; a `requestId` that is not running is ignored',
    kindDoc: 'notification, handled by the router',
  }),
} as const;

/** Requests agentwire sends to the client (approvals, WIRE.md §8). */
export const OutgoingRequest = {
  execCommandApproval: request({
    name: 'execCommandApproval',
    direction: 'outgoing',
    group: 'approvals',
    eras: ['codex'],
    params: () => approvals().ExecCommandApprovalParams,
    result: () => [results().ReviewDecisionResult, approvals().ElicitationResult],
    description:
      'Asks whether a command of a conversation turn may run (WIRE.md §8.1). The answer is `{decision}`; an MCP-style `{action, content?}` is read too, and anything else counts as `denied`.',
  }),
  applyPatchApproval: request({
    name: 'applyPatchApproval',
    direction: 'outgoing',
    group: 'approvals',
    eras: ['codex'],
    params: () => approvals().ApplyPatchApprovalParams,
    result: () => [results().ReviewDecisionResult, approvals().ElicitationResult],
    description: 'Asks whether a patch of a conversation turn may be applied (WIRE.md §8.2). Answered as `execCommandApproval` is.',
  }),
  elicitationCreate: request({
    name: ELICITATION_CREATE,
    direction: 'outgoing',
    group: 'approvals',
    eras: ['handshake'],
    params: () => approvals().CodexElicitationParams,
    result: () => approvals().ElicitationResult,
    description: 'Asks for an approval of a `codex` / `codex-reply` tool call (WIRE.md §8.3), only of a client that declared `capabilities.elicitation`.',
  }),
} as const;

/** Notifications agentwire sends on its own. */
export const OutgoingNotification = {
  toolCallEvent: notification({
    name: 'codex/event',
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake'],
    params: () => events().ToolCallEventParams,
    description: 'An event of a running `codex` / `codex-reply` tool call; `_meta.requestId` is the id of the tools/call (WIRE.md §6.2).',
  }),
  progress: notification({
    name: ModernNotification.Progress,
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake', 'modern'],
    params: () => mcp().ProgressParams,
    description: 'A short line about a tool call that sent a `progressToken`.',
  }),
  logMessage: notification({
    name: 'notifications/message',
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake'],
    params: () => mcp().LogMessageParams,
    description: 'A log record, at or above the level the client set with `logging/setLevel`.',
  }),
  subscriptionsAcknowledged: notification({
    name: ModernNotification.SubscriptionsAcknowledged,
    direction: 'outgoing',
    group: 'events',
    eras: ['modern'],
    params: () => modern().SubscriptionsAcknowledgedParams,
    description: 'The first message of a `subscriptions/listen` stream: the honoured filter.',
  }),
  toolsListChanged: notification({
    name: ModernNotification.ToolsListChanged,
    direction: 'outgoing',
    group: 'events',
    eras: ['modern'],
    params: () => modern().ToolsListChangedParams,
    description: 'A plugin added a tool (on a `subscriptions/listen` stream that asked for `toolsListChanged`).',
  }),
  resourceUpdated: notification({
    name: ResourceNotification.Updated,
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake', 'modern'],
    params: () => resources().ResourceUpdatedParams,
    description: 'A subscribed conversation resource changed (after each step of that conversation).',
  }),
  resourceListChanged: notification({
    name: ResourceNotification.ListChanged,
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake', 'modern'],
    params: () => resources().ResourceListChangedParams,
    description: 'A conversation was added to (or left) the resource list.',
  }),
  tasks: notification({
    name: ModernNotification.Tasks,
    direction: 'outgoing',
    group: 'events',
    eras: ['modern'],
    params: () => tasks().TaskResult,
    description: "A task's new state (a `DetailedTask` with the listen stream's `_meta`), on a `subscriptions/listen` stream whose filter named it.",
  }),
  taskStatus: notification({
    name: 'notifications/tasks/status',
    direction: 'outgoing',
    group: 'events',
    eras: ['handshake'],
    params: () => tasks().TaskResult,
    description: 'A 2025-11-25 task changed state (the `Task`), to an initialized client.',
  }),
  authStatusChange: notification({
    name: 'codex/event/auth_status_change',
    direction: 'outgoing',
    group: 'auth',
    eras: ['codex'],
    params: () => events().AuthStatusChangeParams,
    description: 'After every login, cancel, login failure, logout and `loginApiKey` (WIRE.md §6.3).',
  }),
  loginChatGptComplete: notification({
    name: 'codex/event/login_chat_gpt_complete',
    direction: 'outgoing',
    group: 'auth',
    eras: ['codex'],
    params: () => events().LoginChatGptCompleteParams,
    description: 'A browser login ended: success, failure, cancel, or timeout after `login_timeout_ms` (default 10 minutes).',
  }),
} as const;

/** The `codex/event/<type>` notification that carries a conversation's `type` event to its listeners (WIRE.md §6.1). */
export type ConversationEventSpec<T extends EventType = EventType> = NotificationSpec<`codex/event/${T}`, ConversationEventParams>;

/**
 * Conversation events, by type: each is sent to listeners as the notification `codex/event/<type>`.
 * `msg` gives the event's class, and the description is its name (both for the schema generator).
 */
export const CodexEvent = Object.fromEntries(
  EVENT_TYPES.map((type) => {
    const spec = notification({
      name: `codex/event/${type}`,
      direction: 'outgoing',
      group: 'conversation-events',
      eras: ['codex'],
      params: () => events().ConversationEventParams,
      description: '',
    });
    const msg = (): ShapeClass => events().EVENT_SHAPES[type];
    return [
      type,
      {
        ...spec,
        msg,
        get description() {
          return msg().name;
        },
      },
    ];
  }),
) as { readonly [T in EventType]: ConversationEventSpec<T> & { readonly msg: () => ShapeClass } };
