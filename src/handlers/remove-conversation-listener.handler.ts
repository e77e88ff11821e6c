import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { SubscriptionIdParams } from './conversation-params';

/** `removeConversationListener`. */
@Method('removeConversationListener', { params: SubscriptionIdParams, paramsRequired: true })
export class RemoveConversationListenerHandler implements Handler<SubscriptionIdParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: SubscriptionIdParams) {
    this.conversations.removeListener(params.subscriptionId);
    return {};
  }
}
