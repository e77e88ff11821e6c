import { PatchParseError, rustTrim } from './errors';

const BEGIN_PATCH = '*** Begin Patch';
const END_PATCH = '*** End Patch';
const ADD_FILE = '*** Add File: ';
const DELETE_FILE = '*** Delete File: ';
const UPDATE_FILE = '*** Update File: ';
const MOVE_TO = '*** Move to: ';
const END_OF_FILE = '*** End of File';
const EMPTY_CONTEXT = '@@';
const CONTEXT_PREFIX = '@@ ';
const HEREDOC_OPENERS = new Set(['<<EOF', "<<'EOF'", '<<"EOF"']);

/** `*** Add File: path` with the text of its `+` lines (each ending in LF). */
export interface AddFileHunk {
  readonly kind: 'add';
  /** The path exactly as written in the patch. */
  readonly path: string;
  readonly contents: string;
}

/** `*** Delete File: path`. */
export interface DeleteFileHunk {
  readonly kind: 'delete';
  readonly path: string;
}

/** One `@@` section of an Update. */
export interface UpdateFileChunk {
  /** The text after `@@ `, a line to seek before matching; null for a bare `@@` or none. */
  readonly changeContext: string | null;
  /** Context and `-` lines, in order: what must be found in the file. */
  readonly oldLines: readonly string[];
  /** Context and `+` lines, in order: what replaces them. */
  readonly newLines: readonly string[];
  /** `*** End of File` followed the chunk: the old lines must end the file. */
  readonly isEndOfFile: boolean;
}

/** `*** Update File: path`, optionally `*** Move to: dest`, then one or more chunks. */
export interface UpdateFileHunk {
  readonly kind: 'update';
  readonly path: string;
  /** The move destination as written in the patch, or null. */
  readonly movePath: string | null;
  readonly chunks: readonly UpdateFileChunk[];
}

/** One file operation of a patch. */
export type PatchHunk = AddFileHunk | DeleteFileHunk | UpdateFileHunk;

/** A patch that passed the grammar of APPLY_PATCH.md §1. */
export interface ParsedPatch {
  readonly hunks: readonly PatchHunk[];
  /** The patch from `*** Begin Patch` to `*** End Patch`, LF-joined, without a heredoc wrapper. */
  readonly text: string;
}

/**
 * Parses apply_patch text (APPLY_PATCH.md §1) the way codex 0.29 does, including its
 * lenient `<<'EOF'` wrapper and its exact error texts and line numbers.
 *
 * @throws {PatchParseError} on any grammar violation.
 */
export function parsePatch(text: string): ParsedPatch {
  const lines = splitLines(rustTrim(text));
  const body = checkBoundariesLenient(lines);
  const hunks: PatchHunk[] = [];
  // Line numbers are 1-based within the (unwrapped) patch; the first hunk follows the begin marker.
  let lineNumber = 2;
  let index = 0;
  while (index < body.length) {
    const { hunk, consumed } = parseHunk(body, index, lineNumber);
    hunks.push(hunk);
    index += consumed;
    lineNumber += consumed;
  }
  return { hunks, text: [BEGIN_PATCH, ...body, END_PATCH].join('\n') };
}

// Rust's `str::lines`: split on LF, drop one CR before each LF, no element for a final LF.
// (The text is already trimmed, so only the empty text needs care.)
function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Returns the lines between the markers. */
function checkBoundariesStrict(lines: readonly string[]): string[] {
  const first = lines[0];
  const last = lines[lines.length - 1];
  // Compared without trimming: 0.29 rejects `*** Begin Patch  ` (measured).
  if (first !== undefined && last !== undefined && first === BEGIN_PATCH && last === END_PATCH && lines.length >= 2) {
    return lines.slice(1, -1);
  }
  // An empty patch has no first line at all, and 0.29 then blames the last line.
  if (first !== undefined && first !== BEGIN_PATCH) {
    throw new PatchParseError('invalid_patch', "The first line of the patch must be '*** Begin Patch'");
  }
  throw new PatchParseError('invalid_patch', "The last line of the patch must be '*** End Patch'");
}

// Models sometimes pass the heredoc markers as part of the argv string (they meant a shell
// heredoc but the command is exec'd directly); 0.29 accepts that and so must we.
function checkBoundariesLenient(lines: readonly string[]): string[] {
  try {
    return checkBoundariesStrict(lines);
  } catch (err) {
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (lines.length >= 4 && first !== undefined && last !== undefined && HEREDOC_OPENERS.has(first) && last.endsWith('EOF')) {
      return checkBoundariesStrict(lines.slice(1, -1));
    }
    throw err;
  }
}

function parseHunk(lines: readonly string[], start: number, lineNumber: number): { hunk: PatchHunk; consumed: number } {
  const header = rustTrim(lines[start]);

  if (header.startsWith(ADD_FILE)) {
    let contents = '';
    let consumed = 1;
    for (let i = start + 1; i < lines.length && lines[i].startsWith('+'); i++) {
      contents += lines[i].slice(1) + '\n';
      consumed++;
    }
    return { hunk: { kind: 'add', path: header.slice(ADD_FILE.length), contents }, consumed };
  }

  if (header.startsWith(DELETE_FILE)) {
    return { hunk: { kind: 'delete', path: header.slice(DELETE_FILE.length) }, consumed: 1 };
  }

  if (header.startsWith(UPDATE_FILE)) {
    const path = header.slice(UPDATE_FILE.length);
    let i = start + 1;
    let consumed = 1;
    let movePath: string | null = null;
    // Unlike hunk headers, the move line is matched untrimmed, as in 0.29.
    if (i < lines.length && lines[i].startsWith(MOVE_TO)) {
      movePath = lines[i].slice(MOVE_TO.length);
      i++;
      consumed++;
    }
    const chunks: UpdateFileChunk[] = [];
    while (i < lines.length) {
      const line = lines[i];
      if (rustTrim(line) === '') {
        i++;
        consumed++;
        continue;
      }
      if (line.startsWith('*')) break;
      const parsed = parseChunk(lines, i, lineNumber + consumed, chunks.length === 0);
      chunks.push(parsed.chunk);
      i += parsed.consumed;
      consumed += parsed.consumed;
    }
    if (chunks.length === 0) {
      throw new PatchParseError('invalid_hunk', `Update file hunk for path '${path}' is empty`, lineNumber);
    }
    return { hunk: { kind: 'update', path, movePath, chunks }, consumed };
  }

  throw new PatchParseError(
    'invalid_hunk',
    `'${header}' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'`,
    lineNumber,
  );
}

function parseChunk(lines: readonly string[], start: number, lineNumber: number, allowMissingContext: boolean): { chunk: UpdateFileChunk; consumed: number } {
  const first = lines[start];
  let changeContext: string | null = null;
  let headerLines = 1;
  if (first === EMPTY_CONTEXT) {
    changeContext = null;
  } else if (first.startsWith(CONTEXT_PREFIX)) {
    changeContext = first.slice(CONTEXT_PREFIX.length);
  } else if (allowMissingContext) {
    headerLines = 0;
  } else {
    throw new PatchParseError('invalid_hunk', `Expected update hunk to start with a @@ context marker, got: '${first}'`, lineNumber);
  }
  if (start + headerLines >= lines.length) {
    throw new PatchParseError('invalid_hunk', 'Update hunk does not contain any lines', lineNumber + 1);
  }

  const oldLines: string[] = [];
  const newLines: string[] = [];
  let isEndOfFile = false;
  let bodyLines = 0;
  for (let i = start + headerLines; i < lines.length; i++) {
    const line = lines[i];
    if (line === END_OF_FILE) {
      if (bodyLines === 0) {
        throw new PatchParseError('invalid_hunk', 'Update hunk does not contain any lines', lineNumber + 1);
      }
      isEndOfFile = true;
      bodyLines++;
      break;
    }
    const marker = line.charAt(0);
    if (line === '') {
      // A fully empty line is an empty context line (editors strip the lone space).
      oldLines.push('');
      newLines.push('');
    } else if (marker === ' ') {
      oldLines.push(line.slice(1));
      newLines.push(line.slice(1));
    } else if (marker === '+') {
      newLines.push(line.slice(1));
    } else if (marker === '-') {
      oldLines.push(line.slice(1));
    } else {
      if (bodyLines === 0) {
        // 0.29 reports this one line past the chunk start even when there was no `@@` line.
        throw new PatchParseError(
          'invalid_hunk',
          `Unexpected line found in update hunk: '${line}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
          lineNumber + 1,
        );
      }
      break;
    }
    bodyLines++;
  }
  return { chunk: { changeContext, oldLines, newLines, isEndOfFile }, consumed: headerLines + bodyLines };
}
