import { ResourceSubscriptions } from '../conversations/resource-subscriptions';
import { ResourceUriParams } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `resources/unsubscribe`: no more updates for this URI (a URI not subscribed is no error). */
@Method(IncomingRequest.resourcesUnsubscribe)
export class ResourcesUnsubscribeHandler implements Handler<ResourceUriParams> {
  constructor(private readonly subscriptions: ResourceSubscriptions) {}

  handle(params: ResourceUriParams) {
    this.subscriptions.unsubscribe(params.uri);
    return {};
  }
}
