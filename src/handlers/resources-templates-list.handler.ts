import { ConversationResources } from '../conversations/conversation-resources';
import { ListResourceTemplatesParams } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { IncomingRequest } from '../protocol/methods';

/** `resources/templates/list`: the four conversation URI templates, one page. */
@Method(IncomingRequest.resourcesTemplatesList)
export class ResourcesTemplatesListHandler implements Handler<ListResourceTemplatesParams> {
  constructor(private readonly resources: ConversationResources) {}

  handle() {
    return { resourceTemplates: this.resources.templates() };
  }
}
