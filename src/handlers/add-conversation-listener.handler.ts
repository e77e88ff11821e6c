import { IncomingRequest } from '../protocol/methods';
import { ConversationManager } from '../conversations/conversation-manager';
import { AddConversationListenerParams } from '../protocol/resources';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';

/**
 * `addConversationListener`: from now on the conversation's events go out as `codex/event/<type>`.
 * With `sinceSeq`, the events numbered above it that the conversation still holds go out first
 * (docs/PROTOCOL.md, "Event replay").
 */
@Method(IncomingRequest.addConversationListener)
export class AddConversationListenerHandler implements Handler<AddConversationListenerParams> {
  constructor(private readonly conversations: ConversationManager) {}

  async handle(params: AddConversationListenerParams, ctx: RequestContext) {
    if (params.sinceSeq === undefined) return { subscriptionId: this.conversations.addListener(params.conversationId) };
    // The replay stops if the client cancels this request while it waits for the client to read.
    return { subscriptionId: await this.conversations.addListenerSince(params.conversationId, params.sinceSeq, ctx.signal) };
  }
}
