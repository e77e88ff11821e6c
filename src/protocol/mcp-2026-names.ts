import { ResourceMethod } from './resource-uris';
import { MCP_LOG_LEVELS } from './values';

/**
 * MCP 2026-07-28: the versions, `_meta` keys, error codes and method names the eras are told apart
 * by. Apart from the shapes (mcp-2026.ts, which re-exports these): the era gate needs these for
 * the first request, the shapes load when a modern request first needs one (methods.ts names them
 * through arrow functions).
 */

/** The modern revision: the only version a modern request may name. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** The handshake-era versions `initialize` accepts (WIRE.md §3.1); the last is also the answer to an unknown one. */
export const HANDSHAKE_PROTOCOL_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
export const LATEST_HANDSHAKE_VERSION = '2025-11-25';

/** Every version agentwire serves, newest first (`server/discover`, and `-32022` before the era is decided). */
export const ALL_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, ...[...HANDSHAKE_PROTOCOL_VERSIONS].reverse()];

/** Reserved `_meta` keys of the modern revision. */
export const MetaKey = {
  ProtocolVersion: 'io.modelcontextprotocol/protocolVersion',
  ClientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  ClientInfo: 'io.modelcontextprotocol/clientInfo',
  LogLevel: 'io.modelcontextprotocol/logLevel',
  ServerInfo: 'io.modelcontextprotocol/serverInfo',
  SubscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** Error codes the modern revision adds (`-32602` and `-32601` keep their JSON-RPC meaning). */
export const ModernErrorCode = {
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

/** Requests a modern client may send to agentwire. */
export const ModernMethod = {
  Discover: 'server/discover',
  ToolsList: 'tools/list',
  ToolsCall: 'tools/call',
  SubscriptionsListen: 'subscriptions/listen',
  // The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663).
  TasksGet: 'tasks/get',
  TasksUpdate: 'tasks/update',
  TasksCancel: 'tasks/cancel',
} as const;

/** Notifications agentwire may write in the modern era (and the client's cancel). */
export const ModernNotification = {
  Cancelled: 'notifications/cancelled',
  Progress: 'notifications/progress',
  SubscriptionsAcknowledged: 'notifications/subscriptions/acknowledged',
  ToolsListChanged: 'notifications/tools/list_changed',
  /** The tasks extension: a task's new state, on a listen stream whose filter named it. */
  Tasks: 'notifications/tasks',
} as const;

/** The resource requests of the modern era (conversations as resources; subscribing goes through subscriptions/listen). */
export const MODERN_RESOURCE_METHODS: readonly string[] = [ResourceMethod.List, ResourceMethod.TemplatesList, ResourceMethod.Read];

/** The only requests served in the modern era; anything else there is `-32601`. */
export const MODERN_METHODS: ReadonlySet<string> = new Set([...Object.values(ModernMethod), ...MODERN_RESOURCE_METHODS]);

/** Methods the revision removed (`changelog.mdx`); named so their `-32601` can say so. */
export const REMOVED_IN_MODERN: ReadonlySet<string> = new Set(['ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'tasks/result', 'tasks/list']);

/** Results that carry the cache hints `ttlMs` and `cacheScope` (`caching.mdx`, schema: CacheableResult). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  ModernMethod.Discover,
  ModernMethod.ToolsList,
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** The eight log levels (`logging.mdx`), for checking `io.modelcontextprotocol/logLevel`. */
export const LOG_LEVELS: readonly string[] = MCP_LOG_LEVELS;

/** The elicitation input kind (`mrtr.mdx`: only these three methods may appear in `inputRequests`). */
export const ELICITATION_CREATE = 'elicitation/create';
