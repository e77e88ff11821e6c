import { resolve } from 'node:path';
import { CODEX_INPUT_SCHEMA, CODEX_OUTPUT_SCHEMA, CODEX_REPLY_INPUT_SCHEMA } from '../../codex-tools/tool-schemas';
import { historyLogInfo, runToolTurn } from '../../codex-tools/tool-run';
import { ConfigError } from '../../config/config-file';
import type { ApprovalPolicy, SandboxMode } from '../../config/config-schema';
import { CONVERSATIONS } from '../../conversations/conversation-manager';
import { CONVERSATION_STORE, ConversationNotFoundError } from '../../conversations/conversation-store';
import { userText } from '../../protocol/items';
import { CLIENT } from '../../mcp/client-channel';
import { InvalidParamsError, isAgentwireError } from '../../router/errors';
import type { AgentwirePlugin } from '../plugin';

const ANNOTATIONS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/**
 * The `codex` and `codex-reply` MCP tools (WIRE.md §4): a whole agent turn as one `tools/call`,
 * for MCP clients that know nothing of the conversation methods. Sessions are conversations of
 * the one ConversationManager, so their ids work with the conversation methods too.
 */
export const codexToolsPlugin: AgentwirePlugin = {
  name: 'agentwire:codex-tools',
  dependsOn: ['agentwire:conversations', 'agentwire:shell'],
  register(ctx) {
    const conversations = ctx.resolve(CONVERSATIONS);
    const config = ctx.config;
    const store = ctx.resolve(CONVERSATION_STORE);
    const client = ctx.resolve(CLIENT);
    // resource_link content exists from MCP 2025-06-18 on; older clients get the text alone.
    const linkResults = () => client.protocolVersion >= '2025-06-18';

    ctx.tool({
      name: 'codex',
      title: 'Codex',
      description: 'Runs a coding agent session in a local folder and returns its answer; continue it with codex-reply.',
      inputSchema: CODEX_INPUT_SCHEMA as unknown as Record<string, unknown>,
      outputSchema: CODEX_OUTPUT_SCHEMA as unknown as Record<string, unknown>,
      annotations: { title: 'Codex', ...ANNOTATIONS },
      // A run takes minutes: clients may run it as a task (issue 13).
      taskSupport: 'optional',
      async call(args, call) {
        let conversation;
        try {
          conversation = conversations.create({
            model: args.model as string | undefined,
            profile: args.profile as string | undefined,
            cwd: typeof args.cwd === 'string' ? resolve(args.cwd) : undefined,
            approvalPolicy: args['approval-policy'] as ApprovalPolicy | undefined,
            sandbox: args.sandbox as SandboxMode | undefined,
            config: args.config as Record<string, unknown> | undefined,
            baseInstructions: args['base-instructions'] as string | undefined,
            includePlanTool: args['include-plan-tool'] as boolean | undefined,
          });
        } catch (err) {
          if (err instanceof ConfigError) {
            return { content: [{ type: 'text', text: `Failed to load Codex configuration from overrides: ${err.message}` }], isError: true };
          }
          throw err;
        }
        return runToolTurn(conversation, [userText(args.prompt as string)], call, {
          // The first turn of a codex call carries the tools/call id (WIRE.md §4.2).
          submissionId: String(call.id),
          sessionConfigured: { type: 'session_configured', session_id: conversation.id, model: conversation.settings.model, ...historyLogInfo(config.home) },
          resourceLink: linkResults(),
        });
      },
    });

    ctx.tool({
      name: 'codex-reply',
      title: 'Codex Reply',
      description: 'Continues a codex session (also one from before a restart) with a new prompt.',
      inputSchema: CODEX_REPLY_INPUT_SCHEMA as unknown as Record<string, unknown>,
      outputSchema: CODEX_OUTPUT_SCHEMA as unknown as Record<string, unknown>,
      annotations: { title: 'Codex Reply', ...ANNOTATIONS },
      taskSupport: 'optional',
      async call(args, call) {
        const sessionId = args.sessionId as string | undefined;
        const conversationId = args.conversationId as string | undefined;
        if (sessionId === undefined && conversationId === undefined) {
          throw new InvalidParamsError('Invalid arguments for tool codex-reply: sessionId: is required (or conversationId)', ['sessionId: is required']);
        }
        if (sessionId !== undefined && conversationId !== undefined && sessionId !== conversationId) {
          throw new InvalidParamsError('Invalid arguments for tool codex-reply: sessionId and conversationId name different sessions', [
            'conversationId: differs from sessionId',
          ]);
        }
        const id = (sessionId ?? conversationId)!;
        let conversation = conversations.get(id);
        if (!conversation) {
          // Not live (the server restarted since): it goes on from its rollout, as 0.29 never could.
          try {
            conversation = (await store.resume({ conversationId: id })).conversation;
          } catch (err) {
            if (err instanceof ConversationNotFoundError) return { content: [{ type: 'text', text: `Session not found for session_id: ${id}` }], isError: true };
            if (isAgentwireError(err)) return { content: [{ type: 'text', text: `Failed to resume session ${id}: ${err.message}` }], isError: true };
            throw err;
          }
        }
        return runToolTurn(conversation, [userText(args.prompt as string)], call, { resourceLink: linkResults() });
      },
    });
  },
};
