/**
 * What TAB offers where yargs's own completion would offer flags or command names: a local path (`-l`, `--root`,
 * replay's trace) gets nothing, so the shell script falls back to file names; `--log-format` its two formats;
 * `completion` its shells. `line`: the words being completed, the current one last.
 */
/** The shells a completion script exists for. */
export const SHELLS: readonly string[] = ['bash', 'zsh'];

/** Flags whose value is a path on this machine. */
const LOCAL_PATH_FLAGS: ReadonlySet<string> = new Set([
  '-l',
  '--client-file-name',
  '--list-file',
  '--root',
  '--record',
  '--store',
  '-i',
  '--input',
  '-o',
  '--output',
]);

/** Flags on unless turned off: TAB offers the form that changes something. */
const ON_BY_DEFAULT: readonly string[] = ['--verify'];

/** A flag yargs offers (`--verify`, zsh's `--verify:description`), as TAB should offer it (`--no-verify`). */
export const offeredFlag = (word: string): string => {
  const flag = word.split(':')[0];
  return ON_BY_DEFAULT.includes(flag) ? `--no-${flag.slice(2)}${word.slice(flag.length)}` : word;
};

/** The completions for `words`, or undefined for yargs's own (commands, flags, an option's choices). */
export function fixedCompletions(line: string[]): string[] | undefined {
  // The scripts send the program's name first (as the shell has it); the words after it are the command's.
  const words = /(^|\/)wirestate$/.test(line[0] ?? '') ? line.slice(1) : line;
  const current = words.at(-1) ?? '';
  const previous = words.at(-2);
  if (previous !== undefined && LOCAL_PATH_FLAGS.has(previous)) return [];
  if (previous === '--log-format') return ['pretty', 'json'];
  if (current.startsWith('-')) return undefined;
  if (words[0] === 'replay') return [];
  if (words[0] === 'completion' && words.length === 2) return [...SHELLS];
  return undefined;
}
