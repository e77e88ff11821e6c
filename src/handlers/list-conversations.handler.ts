import { ConversationStore } from '../conversations/conversation-store';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { ListConversationsParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * `listConversations` (WIRE.md §5.14): the rollouts under `<home>/sessions`, newest first, a
 * page at a time. Archived conversations are not listed.
 */
@Method(IncomingRequest.listConversations)
export class ListConversationsHandler implements Handler<ListConversationsParams> {
  constructor(private readonly store: ConversationStore) {}

  handle(params: ListConversationsParams) {
    const pageSize = Math.min(params.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    return this.store.list(pageSize, params.cursor);
  }
}
