import type { EventType } from './events';

/**
 * What the server needs of the conversation events at run time: their types. The event classes
 * (events.ts) are read only by the schema generator, and methods.ts requires them on first use
 * (see `Deferred` in spec.ts).
 */

/** Each event type, in the order of EVENT_SHAPES (events.ts): a type missing here, or one too many, does not compile. */
const EVENT_TYPE_SET: { readonly [T in EventType]: true } = {
  session_configured: true,
  task_started: true,
  agent_message: true,
  agent_message_delta: true,
  agent_reasoning: true,
  agent_reasoning_delta: true,
  agent_reasoning_raw_content: true,
  agent_reasoning_raw_content_delta: true,
  agent_reasoning_section_break: true,
  exec_approval_request: true,
  apply_patch_approval_request: true,
  exec_command_begin: true,
  exec_command_output_delta: true,
  exec_command_end: true,
  patch_apply_begin: true,
  patch_apply_end: true,
  turn_diff: true,
  plan_update: true,
  background_event: true,
  stream_error: true,
  error: true,
  token_count: true,
  task_complete: true,
  turn_aborted: true,
};

/** Every conversation event type. */
export const EVENT_TYPES = Object.keys(EVENT_TYPE_SET) as readonly EventType[];

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

/**
 * Events written to the client at once rather than at the end of the current turn of the event
 * loop (the transport's setImmediate): a turn's end, which the client waits on, and the end of a
 * command or a patch. After those the same chain of promise jobs goes on to build and send the
 * next model request, which held them back ~0.25 ms (exec_command_end after a shell `true`, probe
 * timestamps in the server).
 */
export const FLUSHED_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([...TURN_END_EVENT_TYPES, 'exec_command_end', 'patch_apply_end']);
