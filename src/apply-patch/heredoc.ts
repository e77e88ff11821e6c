/**
 * Recognising apply_patch invocations inside `shell` calls (APPROVAL.md §5).
 *
 * Why a hand scan: the only shell form we intercept is a script that is *exactly* one
 * `apply_patch <<DELIM` heredoc. shell-quote (already a dependency) tokenises words and
 * operators but knows nothing about heredocs, so it would see `<<` as two redirections and
 * lose the body; a regular expression over the whole script would quietly accept things
 * like `apply_patch <<EOF; rm -rf ~` or a body that does not end at the delimiter. A short
 * left-to-right scan states each rule explicitly and rejects anything else, so the caller
 * runs such scripts as ordinary commands (under the normal exec approval rules) instead of
 * silently treating them as a patch. A regular expression is used only to decide whether
 * the delimiter word itself is a plain word.
 */

const PATCH_COMMANDS = new Set(['apply_patch', 'applypatch']);

// The unquoted delimiter must be a plain word: anything fancier ($, backquotes, globs,
// operators) would mean the shell does something we do not emulate.
const PLAIN_DELIMITER = /^[A-Za-z0-9_.+-]+$/;

/**
 * Returns the patch text of an intercepted apply_patch call, or undefined when `argv` is not
 * one. Recognised forms (measured in 0.29):
 *
 * - `["apply_patch", patch]` and `["applypatch", patch]`: the patch verbatim;
 * - `["bash", "-lc", script]` where the script is exactly one `apply_patch <<DELIM` (or
 *   `applypatch`) heredoc: the heredoc body. The delimiter may be bare, `'quoted'` or
 *   `"quoted"`; `<<-` strips leading tabs as bash does; spaces around the command and the
 *   operator and blank lines after the closing delimiter are tolerated.
 *
 * The body is returned literally even for an unquoted delimiter (bash would expand `$x`
 * there): the patch is never handed to a shell, and 0.29 takes it literally too.
 */
export function extractPatchFromCommand(argv: readonly string[]): string | undefined {
  if (argv.length === 2 && PATCH_COMMANDS.has(argv[0])) {
    return argv[1];
  }
  if (argv.length === 3 && argv[0] === 'bash' && argv[1] === '-lc') {
    return extractHeredocBody(argv[2]);
  }
  return undefined;
}

function isCommandChar(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || ch === '_';
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/**
 * The body of `script` when it is a single `apply_patch <<DELIM ... DELIM` statement.
 * Exported for tests; callers want {@link extractPatchFromCommand}.
 */
export function extractHeredocBody(script: string): string | undefined {
  let pos = 0;
  const skipBlanks = (): void => {
    while (isBlank(script[pos])) pos++;
  };
  // Leading whitespace, including blank lines, does not change what bash runs.
  while (pos < script.length && (isBlank(script[pos]) || script[pos] === '\n')) pos++;

  const commandStart = pos;
  while (pos < script.length && isCommandChar(script[pos])) pos++;
  if (!PATCH_COMMANDS.has(script.slice(commandStart, pos))) return undefined;
  skipBlanks();

  if (!script.startsWith('<<', pos)) return undefined;
  pos += 2;
  let stripTabs = false;
  if (script[pos] === '-') {
    stripTabs = true;
    pos++;
  }
  skipBlanks();

  const delimiter = readDelimiter(script, pos);
  if (!delimiter) return undefined;
  pos = delimiter.end;
  skipBlanks();
  // Nothing may follow the delimiter on the command line: no `;`, `&&`, pipe or argument.
  if (script[pos] !== '\n') return undefined;
  pos++;

  const bodyLines: string[] = [];
  let closed = false;
  let rest = '';
  while (pos <= script.length) {
    const newline = script.indexOf('\n', pos);
    const lineEnd = newline === -1 ? script.length : newline;
    let line = script.slice(pos, lineEnd);
    if (stripTabs) {
      let tabs = 0;
      while (line[tabs] === '\t') tabs++;
      line = line.slice(tabs);
    }
    pos = lineEnd + 1;
    if (line === delimiter.word) {
      closed = true;
      rest = newline === -1 ? '' : script.slice(pos);
      break;
    }
    if (newline === -1) break;
    bodyLines.push(line);
  }
  // bash would run an unterminated heredoc to end of input with a warning; treat it as
  // "not ours" rather than guess.
  if (!closed) return undefined;
  for (const ch of rest) {
    if (!isBlank(ch) && ch !== '\n') return undefined;
  }
  return bodyLines.join('\n');
}

function readDelimiter(script: string, pos: number): { word: string; end: number } | undefined {
  const quote = script[pos];
  if (quote === "'" || quote === '"') {
    const close = script.indexOf(quote, pos + 1);
    if (close === -1) return undefined;
    const word = script.slice(pos + 1, close);
    if (word === '' || word.includes('\n') || !PLAIN_DELIMITER.test(word)) return undefined;
    return { word, end: close + 1 };
  }
  let end = pos;
  // A backslash before the word quotes it, as in `<<\EOF`.
  if (script[end] === '\\') end++;
  const wordStart = end;
  while (end < script.length && !isBlank(script[end]) && script[end] !== '\n') end++;
  const word = script.slice(wordStart, end);
  if (!PLAIN_DELIMITER.test(word)) return undefined;
  return { word, end };
}
