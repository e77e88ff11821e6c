import { resolve } from 'node:path';
import { ConversationManager } from '../conversations/conversation-manager';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { SendUserTurnParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';
import { toSandboxPolicy } from './sandbox-policy';
import { checkItems, UserInputOrder } from './user-input';

/** `sendUserTurn`: a turn with its own cwd, policies, model and reasoning settings, for that turn only (WIRE.md §5.5). */
@Method(IncomingRequest.sendUserTurn)
export class SendUserTurnHandler implements Handler<SendUserTurnParams> {
  constructor(
    private readonly conversations: ConversationManager,
    private readonly inputOrder: UserInputOrder,
  ) {}

  handle(params: SendUserTurnParams, ctx: RequestContext) {
    checkItems(params);
    const conversation = this.conversations.require(params.conversationId);
    return this.inputOrder.submitInOrder(params, conversation, ctx, (input) =>
      conversation.submit(input, {
        overrides: {
          cwd: resolve(params.cwd),
          approvalPolicy: params.approvalPolicy,
          sandboxPolicy: toSandboxPolicy(params.sandboxPolicy),
          model: params.model,
          reasoningEffort: params.effort,
          reasoningSummary: params.summary,
        },
      }),
    );
  }
}
