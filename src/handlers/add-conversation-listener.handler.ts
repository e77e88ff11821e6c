import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ConversationIdParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/** `addConversationListener`: from now on the conversation's events go out as `codex/event/<type>`. */
@Method(IncomingRequest.addConversationListener)
export class AddConversationListenerHandler implements Handler<ConversationIdParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: ConversationIdParams) {
    return { subscriptionId: this.conversations.addListener(params.conversationId) };
  }
}
