import { ConversationStore } from '../conversations/conversation-store';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ForkConversationParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `forkConversation` (agentwire's own, WIRE.md §5.14): a new conversation, with its own id and
 * rollout, whose history is a copy of the source's less its last `dropLastTurns` turns.
 */
@Method(IncomingRequest.forkConversation)
export class ForkConversationHandler implements Handler<ForkConversationParams> {
  constructor(private readonly store: ConversationStore) {}

  async handle(params: ForkConversationParams) {
    const conversation = await this.store.fork({ conversationId: params.conversationId, path: params.path }, params.dropLastTurns ?? 0);
    return { conversationId: conversation.id, model: conversation.settings.model };
  }
}
