import { CONVERSATION_RESOURCES } from '../../conversations/conversation-resources';
import { RESOURCE_SUBSCRIPTIONS } from '../../conversations/resource-subscriptions';
import { ResourcesListHandler } from '../../handlers/resources-list.handler';
import { ResourcesReadHandler } from '../../handlers/resources-read.handler';
import { ResourcesSubscribeHandler } from '../../handlers/resources-subscribe.handler';
import { ResourcesTemplatesListHandler } from '../../handlers/resources-templates-list.handler';
import { ResourcesUnsubscribeHandler } from '../../handlers/resources-unsubscribe.handler';
import { LISTEN_SOURCES } from '../../mcp/listen-sources';
import { parseConversationUri } from '../../protocol/resource-uris';
import type { AgentwirePlugin } from '../plugin';

/**
 * Conversations as MCP resources (docs/PROTOCOL.md, "Conversations as resources"): list,
 * templates, read, subscribe, and the update notifications. The services are the container's
 * (CONVERSATION_RESOURCES, RESOURCE_SUBSCRIPTIONS); this plugin adds the methods and the listen source.
 */
export const resourcesPlugin: AgentwirePlugin = {
  name: 'agentwire:resources',
  dependsOn: ['agentwire:conversations'],
  register(ctx) {
    for (const handler of [ResourcesListHandler, ResourcesTemplatesListHandler, ResourcesReadHandler, ResourcesSubscribeHandler, ResourcesUnsubscribeHandler]) ctx.handler(handler);
    // 2026-07-28: subscriptions/listen streams with resourcesListChanged or resourceSubscriptions.
    // Only URIs of conversations that exist are honoured (the ack lists them).
    ctx.resolve(LISTEN_SOURCES).add((filter, send) => {
      const resources = ctx.resolve(CONVERSATION_RESOURCES);
      const uris = (filter.resourceSubscriptions ?? []).filter((uri) => {
        const parsed = parseConversationUri(uri);
        return !('problem' in parsed) && resources.exists(parsed.conversationId);
      });
      const listChanged = filter.resourcesListChanged === true;
      if (!listChanged && uris.length === 0) return undefined;
      const stop = ctx.resolve(RESOURCE_SUBSCRIPTIONS).add({ uris: new Set(uris), listChanged, send });
      return { honoured: { ...(listChanged ? { resourcesListChanged: true } : {}), ...(uris.length > 0 ? { resourceSubscriptions: uris } : {}) }, stop };
    });
    ctx.onClose(() => ctx.resolve(RESOURCE_SUBSCRIPTIONS).stop());
  },
};
