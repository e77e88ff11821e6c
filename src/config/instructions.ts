import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ApprovalPolicy, SandboxMode } from './config-schema';
import { ConfigDerivationError } from './derivation-error';

/**
 * agentwire's own system prompt, used when neither `baseInstructions` / `base-instructions` nor
 * `experimental_instructions_file` replaces it (CONFIG.md §4).
 */
export const BUILT_IN_INSTRUCTIONS = `You are agentwire, a coding agent that works in a terminal on the user's machine. You help with software tasks in the user's project: reading and explaining code, fixing bugs, adding features, running builds and tests. Work carefully and verify what you do; the user sees a summary of your actions and relies on it being accurate.

You act through tools. The \`shell\` tool runs one command, given as an argv array (for example ["bash", "-lc", "ls -la"]), in the conversation's working directory unless you pass \`workdir\`. Prefer fast, read-only commands such as \`rg\`, \`ls\` and \`sed -n\` to explore before changing anything, and read the files you intend to edit. Keep each command focused; avoid commands that wait for input or never finish, and pass \`timeout_ms\` for anything that may run long.

To create, change or delete files, call \`shell\` with the argv ["apply_patch", "<patch>"], where the patch has this shape:

*** Begin Patch
*** Add File: path/to/new_file.txt
+first line of the new file
*** Update File: path/to/existing.py
@@ def greet():
-    print("hi")
+    print("hello")
*** Delete File: path/to/obsolete.txt
*** End Patch

Every added line starts with "+", every removed line with "-", and unchanged context lines with a space. Give about three lines of context around each change, and an "@@" line naming the enclosing function or class when the context alone is ambiguous. Use paths relative to the working directory. Do not write files with shell redirection or editors when a patch will do.

Respect the limits you were started with. The sandbox may make the file system read-only outside the working directory or block network access; the approval policy decides which commands the user must approve first. If a command fails because of the sandbox and the work truly needs it, say so and ask for approval to run it outside the sandbox instead of looking for a way around the restriction. If the user denies a command, do not retry it in another form; find a different approach or stop and explain. Never run destructive commands (deleting data, rewriting git history, force-pushing) unless the user asked for exactly that.

Follow the instructions in any AGENTS.md content you are given: it comes from the user and the project, and the file nearer to the working directory wins when two disagree. Match the style of the surrounding code, keep changes as small as the task allows, and do not fix unrelated problems without asking. When tests or a linter exist, run the relevant ones after a change.

Keep your messages short and concrete. Before a group of related commands, say in one sentence what you are about to do. When you finish, state what changed, where, and how you checked it, and mention anything left undone or uncertain. Do not paste whole files the user can open themselves; refer to them by path.`;

/**
 * The text of `experimental_instructions_file`, trimmed; it replaces the system prompt. A relative
 * path is resolved against the server process's cwd (measured: not the home, not the
 * conversation cwd).
 *
 * @throws ConfigDerivationError when the file cannot be read or holds only whitespace.
 */
export function readInstructionsFile(path: string, processCwd: string = process.cwd()): string {
  const full = resolve(processCwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new ConfigDerivationError(`failed to read experimental instructions file ${full}: ${(err as Error).message}`);
  }
  const trimmed = text.trim();
  // An empty system prompt would leave the model without any guidance; codex refuses it too.
  if (trimmed === '') throw new ConfigDerivationError(`experimental instructions file is empty: ${full}`);
  return trimmed;
}

/** Default `project_doc_max_bytes` (CONFIG.md §2). */
export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32_768;

const PROJECT_DOC_FILENAME = 'AGENTS.md';
const PROJECT_DOC_SEPARATOR = '\n\n--- project-doc ---\n\n';

/** Where to look for user instructions. */
export interface UserInstructionsSource {
  /** The codex home; `<home>/AGENTS.md` is the user's own document. */
  home: string;
  /** The conversation's cwd; project docs are looked up from the git root down to it. */
  cwd: string;
  /** Cap on the project docs together, in bytes; 0 disables them. */
  projectDocMaxBytes?: number;
}

/**
 * The text of the `<user_instructions>` block (CONFIG.md §4): the trimmed `<home>/AGENTS.md`,
 * the project docs, or both joined by the `--- project-doc ---` separator; undefined when there
 * is neither.
 */
export function readUserInstructions(source: UserInstructionsSource): string | undefined {
  const homeDoc = readHomeDoc(source.home);
  const projectDocs = readProjectDocs(source.cwd, source.projectDocMaxBytes ?? DEFAULT_PROJECT_DOC_MAX_BYTES);
  if (homeDoc !== undefined && projectDocs !== undefined) return `${homeDoc}${PROJECT_DOC_SEPARATOR}${projectDocs}`;
  return homeDoc ?? projectDocs;
}

function readHomeDoc(home: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(home, PROJECT_DOC_FILENAME), 'utf8');
  } catch {
    return undefined;
  }
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The AGENTS.md files from the git root down to `cwd`, joined with a blank line, each as read,
 * cut so that together they hold at most `maxBytes` bytes (the joiners are not counted).
 * Undefined when there are none, when `maxBytes` is 0, or when the cwd cannot be resolved.
 */
export function readProjectDocs(cwd: string, maxBytes: number = DEFAULT_PROJECT_DOC_MAX_BYTES): string | undefined {
  if (maxBytes <= 0) return undefined;
  let remaining = maxBytes;
  const parts: string[] = [];
  for (const file of projectDocPaths(cwd)) {
    if (remaining <= 0) break;
    let bytes: Buffer;
    try {
      // One byte past the budget tells a cut file and lets utf8Boundary see the next byte.
      bytes = readPrefix(file, remaining + 1);
    } catch {
      continue;
    }
    const truncated = bytes.length > remaining;
    const kept = truncated ? bytes.subarray(0, utf8Boundary(bytes, remaining)) : bytes;
    const text = kept.toString('utf8');
    // A whitespace-only file would add nothing but blank lines; it does not use the budget.
    if (text.trim() === '') continue;
    parts.push(text);
    // A cut file has used the whole budget, even when the cut moved back to a character boundary.
    remaining = truncated ? 0 : remaining - kept.length;
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** The candidate AGENTS.md paths for `cwd`, root first; only regular files (or links to them). */
export function projectDocPaths(cwd: string): string[] {
  let dir: string;
  try {
    // Symlinked temp folders would otherwise hide the `.git` of the real path.
    dir = realpathSync(cwd);
  } catch {
    return [];
  }
  const chain: string[] = [];
  let gitRootFound = false;
  for (let current = dir; ; current = dirname(current)) {
    chain.push(current);
    // `.git` is a file in worktrees and submodules, so any kind of entry counts.
    if (exists(join(current, '.git'))) {
      gitRootFound = true;
      break;
    }
    if (dirname(current) === current) break;
  }
  const dirs = gitRootFound ? chain.reverse() : [dir];
  return dirs.map((d) => join(d, PROJECT_DOC_FILENAME)).filter(isFile);
}

/**
 * The largest length ≤ `limit` that does not end inside a UTF-8 sequence, so that a cut never
 * turns the last character into U+FFFD.
 */
function utf8Boundary(bytes: Buffer, limit: number): number {
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the last character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return end;
}

/**
 * At most `max` bytes from the start of a regular file. The model can write AGENTS.md: a whole
 * read of a 2 GB sparse file held the event loop for seconds on every new conversation, and a
 * FIFO put there after the `isFile` check would block an ordinary open for good (O_NONBLOCK does
 * not, and fstat then refuses it).
 */
function readPrefix(path: string, max: number): Buffer {
  const fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
    const buffer = Buffer.alloc(max);
    let filled = 0;
    while (filled < max) {
      const n = readSync(fd, buffer, filled, max - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The user-instructions message sent before the environment context (CONFIG.md §4). */
export function formatUserInstructions(text: string): string {
  return `<user_instructions>\n\n${text}\n\n</user_instructions>`;
}

/** What the `<environment_context>` message reports. */
export interface EnvironmentContext {
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  networkAccess: boolean;
}

/** The `<environment_context>` message, byte for byte as 0.29 sends it (provider-requests.json). */
export function formatEnvironmentContext(context: EnvironmentContext): string {
  return [
    '<environment_context>',
    `  <cwd>${context.cwd}</cwd>`,
    `  <approval_policy>${context.approvalPolicy}</approval_policy>`,
    `  <sandbox_mode>${context.sandboxMode}</sandbox_mode>`,
    `  <network_access>${context.networkAccess ? 'enabled' : 'restricted'}</network_access>`,
    '</environment_context>',
  ].join('\n');
}
