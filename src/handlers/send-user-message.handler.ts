import { ConversationManager } from '../conversations/conversation-manager';
import { inputItemProblems, toContent } from '../protocol/input-items';
import type { ResponseItem } from '../protocol/items';
import { InvalidParamsError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { SendUserMessageParams } from './conversation-params';

/** The user message item of a list of input items; none for an empty list. */
export function userInput(params: SendUserMessageParams): ResponseItem[] {
  const problems = inputItemProblems(params.items);
  if (problems.length > 0) throw new InvalidParamsError(`Invalid params: ${problems.join('; ')}`, problems);
  const content = toContent(params.items);
  return content.length === 0 ? [] : [{ type: 'message', id: null, role: 'user', content }];
}

/** `sendUserMessage`: queues the input and answers `{}` before the turn runs (WIRE.md §5.4). */
@Method('sendUserMessage', { params: SendUserMessageParams, paramsRequired: true })
export class SendUserMessageHandler implements Handler<SendUserMessageParams> {
  constructor(private readonly conversations: ConversationManager) {}

  handle(params: SendUserMessageParams) {
    const input = userInput(params);
    this.conversations.require(params.conversationId).submit(input);
    return {};
  }
}
