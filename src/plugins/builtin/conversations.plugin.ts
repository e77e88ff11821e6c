import { planTool } from '../../agent-tools/plan-tool';
import { viewImageTool } from '../../agent-tools/view-image-tool';
import { CONVERSATIONS } from '../../conversations/conversation-manager';
import { ArchiveConversationHandler } from '../../handlers/archive-conversation.handler';
import { ForkConversationHandler } from '../../handlers/fork-conversation.handler';
import { ListConversationsHandler } from '../../handlers/list-conversations.handler';
import { ResumeConversationHandler } from '../../handlers/resume-conversation.handler';
import { AddConversationListenerHandler } from '../../handlers/add-conversation-listener.handler';
import { GetConfigTomlHandler } from '../../handlers/get-config-toml.handler';
import { GitDiffToRemoteHandler } from '../../handlers/git-diff-to-remote.handler';
import { InterruptConversationHandler } from '../../handlers/interrupt-conversation.handler';
import { NewConversationHandler } from '../../handlers/new-conversation.handler';
import { RemoveConversationListenerHandler } from '../../handlers/remove-conversation-listener.handler';
import { SendUserMessageHandler } from '../../handlers/send-user-message.handler';
import { SendUserTurnHandler } from '../../handlers/send-user-turn.handler';
import type { AgentwirePlugin } from '../plugin';

/**
 * The conversation methods of WIRE.md §5 (with the §5.14 list, resume, fork and archive) and the
 * agent tools that need no approval.
 */
export const conversationsPlugin: AgentwirePlugin = {
  name: 'agentwire:conversations',
  register(ctx) {
    for (const handler of [
      NewConversationHandler,
      AddConversationListenerHandler,
      RemoveConversationListenerHandler,
      SendUserMessageHandler,
      SendUserTurnHandler,
      InterruptConversationHandler,
      GitDiffToRemoteHandler,
      GetConfigTomlHandler,
      ListConversationsHandler,
      ResumeConversationHandler,
      ForkConversationHandler,
      ArchiveConversationHandler,
    ]) {
      ctx.handler(handler);
    }
    ctx.agentTool(planTool);
    ctx.agentTool(viewImageTool);
    ctx.onClose(() => ctx.resolve(CONVERSATIONS).shutdown());
  },
};
