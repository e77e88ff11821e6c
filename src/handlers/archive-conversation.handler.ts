import { ConversationStore } from '../conversations/conversation-store';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ArchiveConversationParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `archiveConversation` (WIRE.md §5.14): ends the conversation if it is live and moves its
 * rollout to `<home>/archived_sessions/`, out of listConversations' sight.
 */
@Method(IncomingRequest.archiveConversation)
export class ArchiveConversationHandler implements Handler<ArchiveConversationParams> {
  constructor(private readonly store: ConversationStore) {}

  async handle(params: ArchiveConversationParams) {
    await this.store.archive(params.conversationId, params.rolloutPath);
    return {};
  }
}
