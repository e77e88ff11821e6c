import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ConversationIdParams } from './conversation-params';

/** `addConversationListener`: from now on the conversation's events go out as `codex/event/<type>`. */
@Method('addConversationListener', { params: ConversationIdParams, paramsRequired: true })
export class AddConversationListenerHandler implements Handler<ConversationIdParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: ConversationIdParams) {
    return { subscriptionId: this.conversations.addListener(params.conversationId) };
  }
}
