import { ConfigError } from '../config/config-file';
import { ConversationManager } from '../conversations/conversation-manager';
import { InternalError, InvalidRequestError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { NewConversationParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `newConversation`: derives the settings (config.toml re-read, profile, overrides) and starts a
 * conversation. Ordered: it finishes before the next message is dispatched (WIRE.md §1).
 */
@Method(IncomingRequest.newConversation)
export class NewConversationHandler implements Handler<NewConversationParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: NewConversationParams) {
    let conversation;
    try {
      conversation = this.conversations.create(params);
    } catch (err) {
      if (err instanceof ConfigError) {
        throw new InvalidRequestError(`error deriving config: ${err.message}`);
      }
      throw new InternalError(`error creating conversation: ${(err as Error).message}`);
    }
    // The rollout exists on disk by the time the client hears of the conversation.
    conversation.rollout.flush();
    return { conversationId: conversation.id, model: conversation.settings.model };
  }
}
