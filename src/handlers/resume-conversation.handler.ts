import { ConversationStore } from '../conversations/conversation-store';
import { InvalidParamsError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ResumeConversationParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/**
 * `resumeConversation` (WIRE.md §5.14): a conversation rebuilt from its rollout, by id or by
 * path, with newConversation's params as overrides; its events then flow as for a new one
 * (buffered until a listener is added). Ordered like newConversation, so a pipelined
 * addConversationListener finds it.
 */
@Method(IncomingRequest.resumeConversation)
export class ResumeConversationHandler implements Handler<ResumeConversationParams> {
  constructor(private readonly store: ConversationStore) {}

  async handle(params: ResumeConversationParams) {
    if (params.path === undefined && params.conversationId === undefined) {
      throw new InvalidParamsError('Invalid params: path or conversationId is required', ['conversationId: path or conversationId is required']);
    }
    const { conversation, initialMessages } = await this.store.resume({ conversationId: params.conversationId, path: params.path }, params.overrides ?? {});
    return { conversationId: conversation.id, model: conversation.settings.model, initialMessages };
  }
}
