import { ConversationResources } from '../conversations/conversation-resources';
import type { ResourceUriParams } from '../protocol/resources';
import { RESOURCE_NOT_FOUND } from '../protocol/resource-uris';
import { ErrorCode } from '../router/errors';
import type { Handler, RequestContext } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/**
 * `resources/read` (both eras): one view of a conversation (summary, transcript, diff, events). An
 * unknown conversation is -32002 in the handshake era and -32602 in 2026-07-28 (its resources page,
 * "Error Handling"), whose results are also marked not to be cached: a conversation changes with
 * every turn step.
 */
@Method(IncomingRequest.resourcesRead)
export class ResourcesReadHandler implements Handler<ResourceUriParams> {
  constructor(private readonly resources: ConversationResources) {}

  async handle(params: ResourceUriParams, ctx: RequestContext) {
    const modern = ctx.protocol?.era === 'modern';
    const contents = await this.resources.read(params.uri, modern ? ErrorCode.InvalidParams : RESOURCE_NOT_FOUND);
    return modern ? { contents, ttlMs: 0, cacheScope: 'private' } : { contents };
  }
}
