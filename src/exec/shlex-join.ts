/**
 * Joins an argv into one shell-quoted line the way codex 0.29 shows commands (the elicitation
 * message, `parsed_cmd`): words of safe characters as they are, anything else in single quotes,
 * with a single quote written as '"'"'. Written here rather than taken from shell-quote, whose
 * `quote()` escapes with backslashes (`print\(42\)`) where clients expect `'print(42)'`.
 */
export function shlexJoin(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}
