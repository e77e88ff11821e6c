import type { ModelEvent, ModelRequest } from '../model/model-events';
import { type FunctionCallItem, type ResponseItem, assistantText, messageText } from '../protocol/items';

/**
 * agentwire's bundled offline model (provider id `agentwire-demo`): no network, deterministic.
 * It plays one realistic exchange so `npm run demo` shows every part of a turn: it answers, asks
 * to run a shell command (one that is not known-safe, so the approval policy asks the client),
 * reads the output, proposes a small patch, and sums up. What it says after each tool call
 * follows the tool output it got back (a declined or failed command ends the exchange without a
 * patch), so its text never claims what did not happen. Its stage is read from the history, so a
 * second user message starts the exchange again.
 */
export async function* demoModelStream(req: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const sinceUser = itemsSinceLastUserMessage(req.input);
  const outputs = sinceUser.flatMap((i) => (i.type === 'function_call_output' ? [i.output] : []));
  const callsSoFar = sinceUser.filter((i) => i.type === 'function_call').length;
  const callId = (n: number) => `demo_call_${n}`;

  if (outputs.length === 0) {
    yield* speak('Let me look at the project first: I will check the system and list the files.', signal);
    yield call(callId(callsSoFar + 1), 'shell', { command: ['bash', '-lc', 'uname -s && ls -1'], timeout_ms: 10_000 });
  } else if (outputs.length === 1) {
    const result = readCommandOutput(outputs[0]);
    if (result.kind === 'ran' && result.exitCode === 0) {
      const listing = summarizeListing(result.output);
      yield* speak(`The command finished (${listing}). I will add a short NOTES.md that records what I found.`, signal);
      const patch = ['*** Begin Patch', '*** Add File: NOTES.md', '+# Notes', '+', `+Files seen by the agentwire demo: ${listing}.`, '*** End Patch', ''].join('\n');
      yield call(callId(callsSoFar + 1), 'shell', { command: ['apply_patch', patch] });
    } else if (result.kind === 'ran') {
      yield* speak(`The command failed (exit code ${result.exitCode}), so I could not see the files and changed nothing. Anything else?`, signal);
    } else {
      yield* speak(`The command did not run (${result.reason}), so I did not look at the files and changed nothing. Anything else?`, signal);
    }
  } else {
    // apply_patch through `shell` answers like a command: JSON when it ran, plain text when declined.
    const result = readCommandOutput(outputs[1]);
    const patched = result.kind === 'ran' && result.exitCode === 0;
    const why = result.kind === 'ran' ? firstLine(result.output) : result.reason;
    yield* speak(
      patched
        ? 'Done. I ran one command to look around and added NOTES.md with what I found. Anything else?'
        : `The patch was not applied (${why}), so I left the files as they were. Anything else?`,
      signal,
    );
  }
  yield { type: 'completed', usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 } };
}

/**
 * What a `shell` tool output says: a command that ran gives `{"output", "metadata":{"exit_code"}}`;
 * anything else is a plain text reason it did not run (declined, sandbox failure, time-out).
 */
function readCommandOutput(text: string): { kind: 'ran'; output: string; exitCode: number } | { kind: 'not-run'; reason: string } {
  try {
    const parsed = JSON.parse(text) as { output?: unknown; metadata?: { exit_code?: unknown } };
    if (typeof parsed.output === 'string' && typeof parsed.metadata?.exit_code === 'number') {
      return { kind: 'ran', output: parsed.output, exitCode: parsed.metadata.exit_code };
    }
  } catch {
    // not JSON: a reason the command did not run
  }
  return { kind: 'not-run', reason: firstLine(text) };
}

/** `uname -s && ls -1` output as "<n> files on <system>". */
function summarizeListing(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return 'no output';
  const files = lines.length - 1;
  return `${files} ${files === 1 ? 'file' : 'files'} on ${lines[0]}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'no reason given';
}

function itemsSinceLastUserMessage(input: ResponseItem[]): ResponseItem[] {
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item.type === 'message' && item.role === 'user' && !messageText(item).startsWith('<')) return input.slice(i + 1);
  }
  return input;
}

async function* speak(text: string, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  for (const piece of text.match(/\S+\s*/g) ?? []) {
    if (signal.aborted) throw signal.reason;
    // Yield to the event loop between pieces, as a network stream would.
    await new Promise((resolve) => setImmediate(resolve));
    yield { type: 'text_delta', delta: piece };
  }
  yield { type: 'item', item: assistantText(text) };
}

function call(callId: string, name: string, args: unknown): ModelEvent {
  const item: FunctionCallItem = { type: 'function_call', id: null, name, arguments: JSON.stringify(args), call_id: callId };
  return { type: 'item', item };
}
