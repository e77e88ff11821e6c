import { plainToInstance } from 'class-transformer';
import { validateSync } from '../../validation/class-validator';
import { CODEX_INPUT_SCHEMA, CODEX_OUTPUT_SCHEMA, CODEX_REPLY_INPUT_SCHEMA } from '../../codex-tools/tool-schemas';
import { historyLogInfo, runToolTurn } from '../../codex-tools/tool-run';
import { ConfigError } from '../../config/config-file';
import { CONVERSATIONS } from '../../conversations/conversation-manager';
import { CONVERSATION_STORE, ConversationNotFoundError } from '../../conversations/conversation-store';
import { userText } from '../../protocol/items';
import { CLIENT } from '../../mcp/client-channel';
import { InvalidParamsError, isAgentwireError } from '../../router/errors';
import type { AgentwirePlugin } from '../plugin';

/**
 * Arguments that passed the tool's schema (generated from `cls`) as an instance of `cls`: wire
 * names mapped to property names, members the class does not declare stripped.
 */
function toolParams<T extends object>(cls: new () => T, args: Record<string, unknown>): T {
  const params = plainToInstance(cls, args);
  validateSync(params, { whitelist: true, forbidNonWhitelisted: false });
  return params;
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use: the tools' params classes load with the first tools/call, not at start-up (methods.ts) */
const codexParams = () => require('../../protocol/codex-params') as typeof import('../../protocol/codex-params');

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
      inputSchema: CODEX_INPUT_SCHEMA,
      outputSchema: CODEX_OUTPUT_SCHEMA,
      annotations: { title: 'Codex', ...ANNOTATIONS },
      // A run takes minutes: clients may run it as a task (issue 13).
      taskSupport: 'optional',
      async call(args, call) {
        let conversation;
        try {
          // The arguments passed the schema generated from CodexToolParams; the same class maps
          // 0.29's dashed names to newConversation's (src/protocol/codex-params.ts).
          const { prompt: _prompt, ...settings } = toolParams(codexParams().CodexToolParams, args);
          conversation = conversations.create(settings);
        } catch (err) {
          if (err instanceof ConfigError) {
            return { content: [{ type: 'text', text: `Failed to load Codex configuration from overrides: ${err.message}` }], isError: true };
          }
          throw err;
        }
        return runToolTurn(conversation, [userText(String(args.prompt))], call, {
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
      inputSchema: CODEX_REPLY_INPUT_SCHEMA,
      outputSchema: CODEX_OUTPUT_SCHEMA,
      annotations: { title: 'Codex Reply', ...ANNOTATIONS },
      taskSupport: 'optional',
      async call(args, call) {
        const { prompt, sessionId, conversationId } = toolParams(codexParams().CodexReplyToolParams, args);
        if (sessionId === undefined && conversationId === undefined) {
          throw new InvalidParamsError('Invalid arguments for tool codex-reply: sessionId: is required (or conversationId)', ['sessionId: is required']);
        }
        if (sessionId !== undefined && conversationId !== undefined && sessionId !== conversationId) {
          throw new InvalidParamsError('Invalid arguments for tool codex-reply: sessionId and conversationId name different sessions', ['conversationId: differs from sessionId']);
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
        return runToolTurn(conversation, [userText(prompt)], call, { resourceLink: linkResults() });
      },
    });
  },
};
