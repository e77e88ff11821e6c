import type { FileChange } from './file-change';
import type { TokenUsage } from './items';

/**
 * The `msg` payloads of `codex/event` notifications (WIRE.md §7). Field names are snake_case, as
 * 0.29 sends them.
 */
export type EventMsg =
  | { type: 'session_configured'; session_id: string; model: string; history_log_id: number; history_entry_count: number }
  | { type: 'task_started'; model_context_window: number | null }
  | { type: 'agent_message'; message: string }
  | { type: 'agent_message_delta'; delta: string }
  | { type: 'agent_reasoning'; text: string }
  | { type: 'agent_reasoning_delta'; delta: string }
  | { type: 'agent_reasoning_raw_content'; text: string }
  | { type: 'agent_reasoning_raw_content_delta'; delta: string }
  | { type: 'agent_reasoning_section_break' }
  | { type: 'exec_approval_request'; call_id: string; command: string[]; cwd: string; reason?: string }
  | { type: 'apply_patch_approval_request'; call_id: string; changes: Record<string, FileChange>; reason?: string; grant_root?: string }
  | { type: 'exec_command_begin'; call_id: string; command: string[]; cwd: string; parsed_cmd: Array<Record<string, unknown>> }
  | { type: 'exec_command_output_delta'; call_id: string; stream: 'stdout' | 'stderr'; chunk: number[] }
  | {
      type: 'exec_command_end';
      call_id: string;
      stdout: string;
      stderr: string;
      aggregated_output: string;
      exit_code: number;
      duration: { secs: number; nanos: number };
      formatted_output: string;
    }
  | { type: 'patch_apply_begin'; call_id: string; auto_approved: boolean; changes: Record<string, FileChange> }
  | { type: 'patch_apply_end'; call_id: string; stdout: string; stderr: string; success: boolean }
  | { type: 'turn_diff'; unified_diff: string }
  | { type: 'plan_update'; explanation?: string | null; plan: Array<{ step: string; status: string }> }
  | { type: 'background_event'; message: string }
  | { type: 'stream_error'; message: string }
  | { type: 'error'; message: string }
  | ({ type: 'token_count' } & TokenUsage)
  | { type: 'task_complete'; last_agent_message: string | null }
  | { type: 'turn_aborted'; reason: 'interrupted' | 'replaced' };

export type EventType = EventMsg['type'];

/** One event of a conversation: the submission that produced it, and the payload. */
export interface ConversationEvent {
  /** The submission id, a decimal string (WIRE.md §6.1); "" for session_configured of the codex tool. */
  id: string;
  msg: EventMsg;
  /**
   * The conversation's sequence number of this event (`_meta.seq` on the wire): 1 for its first
   * event, one more for each next one, kept across resume (docs/PROTOCOL.md, "Event replay").
   */
  seq?: number;
}

/**
 * The events a rollout does not record: the streamed pieces whose whole is recorded by a later
 * event (`agent_message`, `agent_reasoning`, `exec_command_end`). They live only in the
 * in-memory replay ring.
 */
export const UNRECORDED_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'agent_message_delta',
  'agent_reasoning_delta',
  'agent_reasoning_raw_content_delta',
  'exec_command_output_delta',
]);

/** Events that end a turn: the rollout is written before the client hears of them. */
export const TURN_END_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['task_complete', 'turn_aborted', 'error']);
