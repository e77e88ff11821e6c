import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { SubscriptionIdParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/** `removeConversationListener`. */
@Method(IncomingRequest.removeConversationListener)
export class RemoveConversationListenerHandler implements Handler<SubscriptionIdParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: SubscriptionIdParams) {
    this.conversations.removeListener(params.subscriptionId);
    return {};
  }
}
