import { ConversationResources } from '../conversations/conversation-resources';
import { ResourceMethod, ResourceUriParams } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';

/** `resources/read`: one view of a conversation (summary, transcript, diff, events). */
@Method(ResourceMethod.Read, { params: ResourceUriParams, paramsRequired: true })
export class ResourcesReadHandler implements Handler<ResourceUriParams> {
  constructor(private readonly resources: ConversationResources) {}

  async handle(params: ResourceUriParams) {
    return { contents: await this.resources.read(params.uri) };
  }
}
