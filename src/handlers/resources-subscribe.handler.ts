import { ConversationResources, ResourceNotFoundError } from '../conversations/conversation-resources';
import { ResourceSubscriptions } from '../conversations/resource-subscriptions';
import { ResourceUriParams } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `resources/subscribe`: `notifications/resources/updated` for this URI from now on. */
@Method(IncomingRequest.resourcesSubscribe)
export class ResourcesSubscribeHandler implements Handler<ResourceUriParams> {
  constructor(
    private readonly resources: ConversationResources,
    private readonly subscriptions: ResourceSubscriptions,
  ) {}

  handle(params: ResourceUriParams) {
    const { conversationId } = this.resources.parse(params.uri);
    if (!this.resources.exists(conversationId)) throw new ResourceNotFoundError(params.uri);
    this.subscriptions.subscribe(params.uri);
    return {};
  }
}
