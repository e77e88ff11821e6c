import { ConversationResources } from '../conversations/conversation-resources';
import { ResourceSubscriptions } from '../conversations/resource-subscriptions';
import { ListResourcesParams, ResourceMethod } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';

/** `resources/list`: the conversations on disk, newest first, 20 a page (rollout heads only). */
@Method(ResourceMethod.List, { params: ListResourcesParams })
export class ResourcesListHandler implements Handler<ListResourcesParams> {
  constructor(
    private readonly resources: ConversationResources,
    private readonly subscriptions: ResourceSubscriptions,
  ) {}

  handle(params: ListResourcesParams) {
    // A client that lists resources hears of the list changing from now on.
    this.subscriptions.start();
    return this.resources.list(params.cursor);
  }
}
