import { parse, type ParseEntry } from 'shell-quote';

/**
 * Known-safe commands (APPROVAL.md §4): the commands 0.29 runs without asking and without the
 * sandbox under every approval policy. Anything this module does not recognise is "other" and goes
 * through the decision table (decision.ts), so every doubt here resolves to `false`.
 */

/** Commands that are safe whatever their arguments: none of them can write files or run others. */
const SAFE_ANY_ARGS: ReadonlySet<string> = new Set(['cat', 'cd', 'echo', 'false', 'grep', 'head', 'ls', 'nl', 'pwd', 'tail', 'true', 'wc', 'which']);

/** `find` options that run commands, delete, or write files. */
const UNSAFE_FIND_OPTIONS: ReadonlySet<string> = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);

/** `rg` flags that make it run another program (`-z` spawns decompressors). */
const UNSAFE_RG_FLAGS: ReadonlySet<string> = new Set(['--search-zip', '-z']);

/** `rg` options that name a program to run; forbidden both as `--opt value` and `--opt=value`. */
const UNSAFE_RG_OPTIONS_WITH_VALUE: readonly string[] = ['--pre', '--hostname-bin'];

/** Read-only `git` subcommands; 0.29 checks nothing after the second word, and neither do we. */
const SAFE_GIT_SUBCOMMANDS: ReadonlySet<string> = new Set(['branch', 'status', 'log', 'diff', 'show']);

/**
 * Commands whose safety depends on their arguments. In a script bash expands words before these
 * commands see them, so their argument checks only hold for words that cannot turn into an
 * option.
 */
const ARGUMENT_CHECKED: ReadonlySet<string> = new Set(['find', 'rg', 'sed']);

/** The only operators that may join commands in a `bash -lc` script judged safe. */
const SEQUENCE_OPERATORS: ReadonlySet<string> = new Set(['&&', '||', ';', '|']);

/**
 * Whether `argv` is known-safe (APPROVAL.md §4): a single command from the known-safe rules, or
 * exactly `["bash", "-lc", script]` whose script is a sequence of plain known-safe commands joined
 * by `&&`, `||`, `;` or `|`.
 */
export function isKnownSafeCommand(argv: readonly string[]): boolean {
  if (isSafeSingleCommand(argv)) return true;
  // 0.29 inspects only this exact form: `bash -c`, `sh -lc` or extra arguments are "other".
  if (argv.length === 3 && argv[0] === 'bash' && argv[1] === '-lc') return isSafeScript(argv[2]);
  return false;
}

/**
 * The single-command rules of APPROVAL.md §4, applied to an argv that no shell will expand.
 * The `bash -lc` form is not one of them: a script never counts as safe through a nested shell.
 */
export function isSafeSingleCommand(argv: readonly string[]): boolean {
  const [program, ...args] = argv;
  if (program === undefined) return false;
  if (SAFE_ANY_ARGS.has(program)) return true;
  switch (program) {
    case 'find':
      return !args.some((arg) => UNSAFE_FIND_OPTIONS.has(arg));
    case 'rg':
      return !args.some(isUnsafeRgArgument);
    case 'git':
      return args[0] !== undefined && SAFE_GIT_SUBCOMMANDS.has(args[0]);
    case 'cargo':
      return args[0] === 'check';
    case 'sed':
      return argv.length === 4 && args[0] === '-n' && isSedPrintRange(args[1]) && args[2] !== '';
    default:
      return false;
  }
}

function isUnsafeRgArgument(arg: string): boolean {
  if (UNSAFE_RG_FLAGS.has(arg)) return true;
  return UNSAFE_RG_OPTIONS_WITH_VALUE.some((opt) => arg === opt || arg.startsWith(`${opt}=`));
}

/** `<N>p` or `<M>,<N>p`, digits only: the one `sed` script that can only print. */
function isSedPrintRange(arg: string | undefined): boolean {
  if (arg === undefined || !arg.endsWith('p')) return false;
  const bounds = arg.slice(0, -1).split(',');
  return bounds.length <= 2 && bounds.every(isDigits);
}

function isDigits(text: string): boolean {
  if (text === '') return false;
  for (const ch of text) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

/** Marks a variable use in the parse: shell-quote would otherwise expand it to text we never saw. */
interface VariableUse {
  readonly variable: string;
}

type ScriptEntry = ParseEntry | VariableUse;
type OperatorEntry = Extract<ScriptEntry, { op: string }>;
type GlobEntry = Extract<ScriptEntry, { op: 'glob' }>;

/**
 * Judges a `bash -lc` script by parsing it with shell-quote (the project rule: never a regular
 * expression). Safe only when every entry is a plain word or one of the sequence operators, no
 * command is empty, and every command passes the single-command rules.
 */
function isSafeScript(script: string): boolean {
  // shell-quote reads an unquoted newline as a blank, bash as a command separator: `ls\nrm -rf x`
  // would look like `ls` with three arguments. Refusing such scripts only costs an approval.
  if (script.includes('\n') || script.includes('\r')) return false;
  let entries: ScriptEntry[];
  try {
    entries = parse(script, (variable: string): VariableUse => ({ variable }));
  } catch {
    // shell-quote throws on substitutions it cannot read (e.g. `${x:-$(rm)}`).
    return false;
  }
  const commands: ScriptEntry[][] = [[]];
  for (const entry of entries) {
    if (isOperator(entry) && SEQUENCE_OPERATORS.has(entry.op)) {
      commands.push([]);
    } else {
      commands[commands.length - 1].push(entry);
    }
  }
  return commands.every(isSafeScriptCommand);
}

function isSafeScriptCommand(words: ScriptEntry[]): boolean {
  // An empty command means a leading, trailing or doubled operator: not a plain sequence.
  if (words.length === 0) return false;
  const argv: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') {
      // Backticks and `$(` survive inside shell-quote's words, but bash would run them.
      if (word.includes('`') || word.includes('$(')) return false;
      argv.push(word);
    } else if (isGlob(word)) {
      argv.push(word.pattern);
    } else {
      // Variables, comments, redirections, subshells, `&` and every other operator.
      return false;
    }
  }
  if (!isSafeSingleCommand(argv)) return false;
  return !(ARGUMENT_CHECKED.has(argv[0]) && words.slice(1).some(mayExpandToOption));
}

/**
 * Whether bash could expand `word` into words starting with `-` that the checks never saw:
 * `-{delete,name}` becomes `-delete -name` on every machine, and `*` matches a planted file named
 * `-delete` or `--pre=evil`. shell-quote reports unquoted `*`/`?` as glob entries but leaves `[…]`
 * globs and `{…}` brace expansions inside strings (with the quotes that would disarm them already
 * removed), so those characters count as expanding wherever they appear. An expansion always starts
 * with the text before the first special character, so a word whose start is ordinary text is safe.
 */
function mayExpandToOption(word: ScriptEntry): boolean {
  let text: string;
  if (typeof word === 'string') {
    if (!word.includes('{') && !word.includes('[')) return false;
    text = word;
  } else if (isGlob(word)) {
    text = word.pattern;
  } else {
    return true;
  }
  const first = text.charAt(0);
  return first === '' || '-*?[{'.includes(first);
}

function isOperator(entry: ScriptEntry): entry is OperatorEntry {
  return typeof entry === 'object' && 'op' in entry;
}

function isGlob(entry: ScriptEntry): entry is GlobEntry {
  return isOperator(entry) && entry.op === 'glob';
}
