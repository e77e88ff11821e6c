import { ConversationResources } from '../conversations/conversation-resources';
import { ListResourceTemplatesParams, ResourceMethod } from '../protocol/resources';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';

/** `resources/templates/list`: the four conversation URI templates, one page. */
@Method(ResourceMethod.TemplatesList, { params: ListResourceTemplatesParams })
export class ResourcesTemplatesListHandler implements Handler<ListResourceTemplatesParams> {
  constructor(private readonly resources: ConversationResources) {}

  handle() {
    return { resourceTemplates: this.resources.templates() };
  }
}
