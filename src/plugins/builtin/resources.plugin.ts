import { ConversationResources } from '../../conversations/conversation-resources';
import { ResourceSubscriptions } from '../../conversations/resource-subscriptions';
import { ResourcesListHandler } from '../../handlers/resources-list.handler';
import { ResourcesReadHandler } from '../../handlers/resources-read.handler';
import { ResourcesSubscribeHandler } from '../../handlers/resources-subscribe.handler';
import { ResourcesTemplatesListHandler } from '../../handlers/resources-templates-list.handler';
import { ResourcesUnsubscribeHandler } from '../../handlers/resources-unsubscribe.handler';
import type { AgentwirePlugin } from '../plugin';

/**
 * Conversations as MCP resources (docs/PROTOCOL.md, "Conversations as resources"): list,
 * templates, read, subscribe, and the update notifications.
 */
export const resourcesPlugin: AgentwirePlugin = {
  name: 'agentwire:resources',
  dependsOn: ['agentwire:conversations'],
  register(ctx) {
    ctx.provide(ConversationResources, { useClass: ConversationResources, singleton: true });
    ctx.provide(ResourceSubscriptions, { useClass: ResourceSubscriptions, singleton: true });
    for (const handler of [ResourcesListHandler, ResourcesTemplatesListHandler, ResourcesReadHandler, ResourcesSubscribeHandler, ResourcesUnsubscribeHandler]) ctx.handler(handler);
    ctx.onClose(() => ctx.resolve(ResourceSubscriptions).stop());
  },
};
