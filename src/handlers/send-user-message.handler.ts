import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { SendUserMessageParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';
import { checkItems, UserInputOrder } from './user-input';

/** `sendUserMessage`: queues the input and answers `{}` before the turn runs (WIRE.md §5.4). */
@Method(IncomingRequest.sendUserMessage)
export class SendUserMessageHandler implements Handler<SendUserMessageParams> {
  constructor(
    private readonly conversations: ConversationManager,
    private readonly inputOrder: UserInputOrder,
  ) {}

  handle(params: SendUserMessageParams, ctx: RequestContext) {
    checkItems(params);
    const conversation = this.conversations.require(params.conversationId);
    return this.inputOrder.submitInOrder(params, conversation, ctx, (input) => conversation.submit(input));
  }
}
