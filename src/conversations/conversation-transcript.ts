import type { ConversationEvent } from '../protocol/events';
import type { ResponseItem } from '../protocol/items';
import { isContextText, userMessageText } from './rollout-reader';

/**
 * The Markdown transcript of a conversation from its history: the user's messages, the agent's
 * answers and reasoning summaries, each command with its exit code and output, and each patch as
 * a diff block. Context items (environment, user instructions) are left out. Code fences are
 * made longer than any backtick run inside them, so model text cannot close them early.
 */
export function transcriptMarkdown(conversationId: string, items: readonly ResponseItem[], turnStarts: readonly number[]): string {
  const out: string[] = [`# Conversation ${conversationId}`];
  const starts = new Set(turnStarts);
  let turn = 0;
  const calls = new Map<string, string>();
  items.forEach((item, i) => {
    if (starts.has(i)) out.push(`## Turn ${++turn}`);
    switch (item.type) {
      case 'message': {
        const user = userMessageText(item);
        if (user !== undefined) {
          if (!isContextText(user)) out.push(`**User:**\n\n${user}`);
        } else if (item.role === 'assistant') {
          out.push(`**Agent:**\n\n${item.content.map((c) => ('text' in c ? c.text : '')).join('')}`);
        }
        break;
      }
      case 'reasoning': {
        const text = (item.summary ?? []).map((s) => s.text).join('');
        if (text) out.push(`*Reasoning:* ${text}`);
        break;
      }
      case 'function_call': {
        calls.set(item.call_id, item.name);
        const patch = patchOf(item.name, item.arguments);
        if (patch !== undefined) out.push(`**Patch** (\`${item.call_id}\`):\n\n${fenced(patch, 'diff')}`);
        else {
          const command = commandOf(item.arguments);
          out.push(
            command !== undefined
              ? `**Command** (\`${item.call_id}\`):\n\n${fenced(command, 'sh')}`
              : `**Tool call** \`${item.name}\` (\`${item.call_id}\`):\n\n${fenced(item.arguments, 'json')}`,
          );
        }
        break;
      }
      case 'function_call_output': {
        const { output, exitCode } = outputOf(item.output);
        const head = exitCode === undefined ? `**Output** (\`${item.call_id}\`):` : `**Exit code ${exitCode}** (\`${item.call_id}\`):`;
        out.push(`${head}\n\n${fenced(output, 'text')}`);
        break;
      }
    }
  });
  return out.join('\n\n') + '\n';
}

/**
 * The conversation's diff: for each turn that changed files, its last `turn_diff` (the net change
 * of that turn), in turn order. A file changed in several turns has one section per turn, which
 * `git apply` applies in order.
 */
export function conversationDiff(events: readonly ConversationEvent[]): string {
  const lastOfTurn = new Map<string, string>();
  for (const event of events) {
    if (event.msg.type !== 'turn_diff') continue;
    // Re-inserted so that the turn's place is that of its last diff (submission ids repeat after a resume).
    lastOfTurn.delete(event.id);
    lastOfTurn.set(event.id, event.msg.unified_diff);
  }
  return [...lastOfTurn.values()]
    .filter((d) => d.length > 0)
    .map((d) => (d.endsWith('\n') ? d : d + '\n'))
    .join('');
}

function fenced(text: string, lang: string): string {
  let longest = 2;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.endsWith('\n') ? text : text + '\n'}${fence}`;
}

/** The patch text of an apply_patch call (`{input}`) or a shell call `["apply_patch", patch]`. */
function patchOf(name: string, args: string): string | undefined {
  const parsed = parseObject(args);
  if (!parsed) return undefined;
  if (name === 'apply_patch' && typeof parsed.input === 'string') return parsed.input;
  const command = parsed.command;
  if (Array.isArray(command) && command.length === 2 && (command[0] === 'apply_patch' || command[0] === 'applypatch') && typeof command[1] === 'string') return command[1];
  return undefined;
}

function commandOf(args: string): string | undefined {
  const command = parseObject(args)?.command;
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) return undefined;
  const argv = command;
  // `bash -lc <script>` is shown as its script.
  if (argv.length === 3 && /(^|\/)(ba|z)?sh$/.test(argv[0]) && (argv[1] === '-lc' || argv[1] === '-c')) return argv[2];
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`)).join(' ');
}

/** A shell output `{"output":…,"metadata":{"exit_code":n}}` split up; any other output as it is. */
function outputOf(text: string): { output: string; exitCode?: number } {
  const parsed = parseObject(text);
  const meta = parsed?.metadata as Record<string, unknown> | undefined;
  if (parsed && typeof parsed.output === 'string' && meta && typeof meta.exit_code === 'number') return { output: parsed.output, exitCode: meta.exit_code };
  return { output: text };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
