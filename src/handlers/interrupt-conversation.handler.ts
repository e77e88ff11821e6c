import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ConversationIdParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `interruptConversation`: aborts the running turn and answers after its `turn_aborted` event;
 * with no turn running it answers at once (0.29 never does, WIRE.md §5.6).
 */
@Method(IncomingRequest.interruptConversation)
export class InterruptConversationHandler implements Handler<ConversationIdParams> {
  constructor(private readonly conversations: ConversationManager) {}

  async handle(params: ConversationIdParams) {
    await this.conversations.require(params.conversationId).interrupt();
    return { abortReason: 'interrupted' as const };
  }
}
