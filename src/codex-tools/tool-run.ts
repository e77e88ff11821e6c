import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation } from '../conversations/conversation';
import type { TurnOutcome } from '../conversations/turn';
import type { CallToolResult, ToolCallContext } from '../mcp/tool-registry';
import type { ConversationEvent, EventMsg } from '../protocol/events';
import type { ResponseItem } from '../protocol/items';
import { OutgoingNotification } from '../protocol/methods';
import { progressMessage } from './progress';
import { conversationUri } from '../protocol/resource-uris';

/** `codex/event` with `_meta.requestId`: how the events of a tools/call turn reach the client (WIRE.md §6.2). */
export function toolCallRoute(ctx: ToolCallContext): (event: ConversationEvent) => void {
  let progress = 0;
  let streaming = false;
  const report = ctx.reportProgress;
  if (report) {
    // Modern era: no unsolicited notifications, so only the short progress lines (MCP-2026.md §7).
    return (event) => {
      let message = progressMessage(event.msg);
      if (event.msg.type === 'agent_message_delta' && !streaming) message = 'answer streaming';
      streaming = event.msg.type === 'agent_message_delta';
      if (message) report(message);
    };
  }
  return (event) => {
    ctx.outgoing.notify(OutgoingNotification.toolCallEvent, { _meta: { requestId: ctx.id ?? undefined, seq: event.seq }, id: event.id, msg: event.msg });
    if (ctx.progressToken === undefined) return;
    let message = progressMessage(event.msg);
    // One progress line when an answer starts streaming, not one per delta.
    if (event.msg.type === 'agent_message_delta' && !streaming) message = 'answer streaming';
    streaming = event.msg.type === 'agent_message_delta';
    if (message) ctx.outgoing.notify(OutgoingNotification.progress, { progressToken: ctx.progressToken, progress: ++progress, message });
  };
}

/** `history_log_id` / `history_entry_count` of session_configured: the inode and line count of `<home>/history.jsonl`, as 0.29 reports them. */
export function historyLogInfo(home: string): { history_log_id: number; history_entry_count: number } {
  const path = join(home, 'history.jsonl');
  try {
    const ino = statSync(path).ino;
    const text = readFileSync(path, 'utf8');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    return { history_log_id: ino, history_entry_count: lines };
  } catch {
    return { history_log_id: 0, history_entry_count: 0 };
  }
}

/**
 * Runs one turn for a `codex` or `codex-reply` call and turns its end into the call's result:
 * the last agent message as text plus `structuredContent` with the session id; `isError` when
 * the turn failed or was aborted. A `notifications/cancelled` for the call aborts the turn; the
 * router then sends no result at all (MCP).
 */
export async function runToolTurn(
  conversation: Conversation,
  input: ResponseItem[],
  ctx: ToolCallContext,
  options: { submissionId?: string; sessionConfigured?: EventMsg; resourceLink?: boolean },
): Promise<CallToolResult> {
  const route = toolCallRoute(ctx);
  if (options.sessionConfigured) conversation.emitOutsideTurn('', options.sessionConfigured, route);
  const requestId = ctx.id ?? '';
  // A call gets a turn of its own, with its own events and result: while another turn of the
  // session runs, this one waits for it instead of joining it (as a sendUserMessage would).
  while (conversation.activeTurn) {
    await conversation.activeTurn.done;
    if (ctx.signal.aborted) return { content: [{ type: 'text', text: 'turn aborted: interrupted' }], isError: true };
  }
  const origin =
    ctx.taskId !== undefined
      ? { kind: 'tool-call' as const, requestId, taskId: ctx.taskId }
      : ctx.runId !== undefined
        ? { kind: 'tool-call' as const, requestId, runId: ctx.runId }
        : { kind: 'tool-call' as const, requestId };
  const { turn } = conversation.submit(input, { origin, route, submissionId: options.submissionId });
  // A cancel is an interrupt of the session's turn, and takes a submission id like one (WIRE.md §6.1).
  const onCancel = () => {
    if (conversation.activeTurn === turn) void conversation.interrupt();
    else turn.abort('interrupted');
  };
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  let outcome: TurnOutcome;
  try {
    outcome = await turn.done;
  } finally {
    ctx.signal.removeEventListener('abort', onCancel);
  }
  // Let the turn's last events go out in a write of their own before the result: the MCP SDK
  // client runs notification handlers a microtask late, and a result read in the same chunk
  // would remove the progress handler before the last progress notifications reach it.
  await new Promise((resolve) => setImmediate(resolve));
  const result = toolResult(conversation.id, outcome);
  if (options.resourceLink) result.content.push(conversationLink(conversation.id));
  return result;
}

/** A `resource_link` to the conversation (MCP 2025-06-18 on): its summary, whose templates lead to transcript, diff and events. */
export function conversationLink(conversationId: string): Record<string, unknown> {
  return { type: 'resource_link', uri: conversationUri(conversationId), name: conversationId, title: 'Codex conversation', mimeType: 'application/json' };
}

export function toolResult(sessionId: string, outcome: TurnOutcome): CallToolResult {
  if (outcome.kind === 'failed') return { content: [{ type: 'text', text: outcome.error ?? 'the turn failed' }], isError: true };
  if (outcome.kind === 'aborted') return { content: [{ type: 'text', text: 'turn aborted: interrupted' }], isError: true };
  const text = outcome.lastAgentMessage ?? '';
  return {
    content: [{ type: 'text', text }],
    structuredContent: { sessionId, conversationId: sessionId, lastAgentMessage: outcome.lastAgentMessage },
  };
}
