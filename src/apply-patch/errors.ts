import { constants as osConstants } from 'os';

/**
 * Every apply_patch failure has two renderings (APPLY_PATCH.md §3 and §4): the text the
 * standalone `apply_patch` prints on stderr (paths as written in the patch), and the text
 * the agent hands to the model after `error: ` (paths made absolute). Keeping both on the
 * error lets the tool layer pick without re-deriving anything.
 */
export interface PatchErrorTexts {
  /** What standalone `apply_patch` prints on stderr (without the trailing newline). */
  readonly standaloneMessage: string;
  /** What the model sees after the tool layer's `error: ` prefix. */
  readonly modelMessage: string;
}

/**
 * The patch text itself is malformed (APPLY_PATCH.md §1). Raised by {@link parsePatch}.
 *
 * `kind: 'invalid_patch'` is a missing begin/end marker; `kind: 'invalid_hunk'` names the
 * 1-based line of the patch where the bad hunk or chunk starts.
 */
export class PatchParseError extends Error implements PatchErrorTexts {
  readonly kind: 'invalid_patch' | 'invalid_hunk';
  /** The message without any prefix, e.g. `Update file hunk for path 'f.txt' is empty`. */
  readonly detail: string;
  /** Line number for `invalid_hunk`, undefined for `invalid_patch`. */
  readonly lineNumber: number | undefined;

  constructor(kind: 'invalid_patch', detail: string);
  constructor(kind: 'invalid_hunk', detail: string, lineNumber: number);
  constructor(kind: 'invalid_patch' | 'invalid_hunk', detail: string, lineNumber?: number) {
    super(kind === 'invalid_patch' ? `Invalid patch: ${detail}` : `Invalid patch hunk on line ${lineNumber}: ${detail}`);
    this.name = 'PatchParseError';
    this.kind = kind;
    this.detail = detail;
    this.lineNumber = lineNumber;
  }

  get standaloneMessage(): string {
    return this.message;
  }

  // 0.29 reports parse failures to the model through the parser error's own Display,
  // which is worded differently from the standalone binary's stderr (measured).
  get modelMessage(): string {
    return this.kind === 'invalid_patch' ? `invalid patch: ${this.detail}` : `invalid hunk at line ${this.lineNumber}, ${this.detail}`;
  }
}

/**
 * The patch parsed but cannot be applied to the files as they are (APPLY_PATCH.md §3), or
 * writing it failed. Raised by {@link planPatch} and {@link applyPlan}.
 */
export class PatchApplyError extends Error implements PatchErrorTexts {
  readonly standaloneMessage: string;
  readonly modelMessage: string;

  constructor(standaloneMessage: string, modelMessage: string = standaloneMessage, options?: { cause?: unknown }) {
    super(standaloneMessage, options);
    this.name = 'PatchApplyError';
    this.standaloneMessage = standaloneMessage;
    this.modelMessage = modelMessage;
  }
}

/** Either error this library raises on purpose. */
export type PatchError = PatchParseError | PatchApplyError;

/** True for the errors this library raises deliberately (as opposed to bugs). */
export function isPatchError(err: unknown): err is PatchError {
  return err instanceof PatchParseError || err instanceof PatchApplyError;
}

// glibc's strerror texts: 0.29 prints Rust's io::Error, which is `<strerror> (os error N)`.
// Node only gives us the symbolic code, so the common ones are spelled out here.
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  EXDEV: 'Invalid cross-device link',
};

/** Renders a Node file-system error the way Rust's `io::Error` displays it. */
export function ioErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  if (code && STRERROR[code] !== undefined) {
    const errno = (osConstants.errno as Record<string, number | undefined>)[code] ?? Math.abs(e?.errno ?? 0);
    return `${STRERROR[code]} (os error ${errno})`;
  }
  return e?.message ?? String(err);
}

/** The text Rust's `read_to_string` fails with on bytes that are not UTF-8. */
export const INVALID_UTF8_TEXT = 'stream did not contain valid UTF-8';

// Rust's `char::is_whitespace` (Unicode White_Space). JS's `trim()` differs: it also strips
// U+FEFF and keeps U+0085, which would make matching disagree with 0.29 on such lines.
function isRustWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `str::trim_end` of Rust. */
export function rustTrimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isRustWhitespace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

/** `str::trim` of Rust. */
export function rustTrim(s: string): string {
  const t = rustTrimEnd(s);
  let start = 0;
  while (start < t.length && isRustWhitespace(t.charCodeAt(start))) start++;
  return t.slice(start);
}

// Characters Rust's `{:?}` prints as `\u{..}`: those its `is_printable` rejects (general
// categories C*, Z* except the plain space) plus grapheme extenders.
const RUST_DEBUG_ESCAPED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Grapheme_Extend}]/u;

/** A string quoted the way Rust's `Debug` prints it, e.g. `"a\"b"`. */
export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '\\0';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '"':
        out += '\\"';
        continue;
      case ' ':
        out += ' ';
        continue;
    }
    out += RUST_DEBUG_ESCAPED.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch;
  }
  return out + '"';
}

/** A list of strings printed like Rust's `{:?}` of a `Vec<String>`: `["a", "c"]`. */
export function rustDebugList(items: readonly string[]): string {
  return `[${items.map(rustDebugString).join(', ')}]`;
}
