import { ConversationResources } from '../conversations/conversation-resources';
import { ResourceSubscriptions } from '../conversations/resource-subscriptions';
import { ListResourcesParams } from '../protocol/resources';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `resources/list` (both eras): the conversations on disk, newest first, 20 a page (rollout heads only). */
@Method(IncomingRequest.resourcesList)
export class ResourcesListHandler implements Handler<ListResourcesParams> {
  constructor(
    private readonly resources: ConversationResources,
    private readonly subscriptions: ResourceSubscriptions,
  ) {}

  handle(params: ListResourcesParams, ctx: RequestContext) {
    const page = this.resources.list(params.cursor);
    // The list changes with every new conversation: not to be cached (2026-07-28 cache hints).
    if (ctx.protocol?.era === 'modern') return { ...page, ttlMs: 0, cacheScope: 'private' };
    // A handshake-era client that lists resources hears of the list changing from now on.
    this.subscriptions.listedDirect();
    return page;
  }
}
