/**
 * Options typed before the command (`wirestate --log-format json client ...`, as git and docker take them) are
 * the command's: they move after its words, so yargs reads them there. Without this, `json` was taken for the
 * command ("unknown command: json"). Only the flags every command shares take a value here (`--log-format`,
 * `--record`, and `--inspect` a number, as `--inspect=PORT`); any other leading flag moves alone, and the command
 * refuses it if it does not know it.
 */

/** The shared flags that take the next word as their value. */
const TAKING_A_VALUE = ['--log-format', '--record'];

/** `argv` with its leading options after the command's words (before a `--`, which ends the options). */
export function commandFirst(argv: string[]): string[] {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length && argv[index].startsWith('-') && argv[index] !== '--') {
    const inspectPort = argv[index] === '--inspect' && /^\d+$/.test(argv[index + 1] ?? '');
    const takesNext = takesNextWord(argv, index) && index + 1 < argv.length;
    // Before the command, a number after --inspect can be nothing but its port: written so for the command.
    leading.push(
      ...(inspectPort ? [`--inspect=${argv[index + 1]}`] : argv.slice(index, takesNext ? index + 2 : index + 1)),
    );
    index += takesNext ? 2 : 1;
  }
  const rest = argv.slice(index);
  if (leading.length === 0 || rest.length === 0) return argv;
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length;
  return [...rest.slice(0, end), ...leading, ...rest.slice(end)];
}

/** The flags commands share (all of them `--log-format`), which may come before a command or a missing one. */
const SHARED = [...TAKING_A_VALUE, '-d', '--debug', '--inspect'];

/** Whether `word` (`--record`, `--inspect=5`) is one of the flags commands share. */
export const isSharedFlag = (word: string): boolean => SHARED.includes(word.split('=')[0]);

/** For words naming no command: the first flag no command shares (`-x`), which is the thing to say, or undefined. */
export const strayFlag = (argv: string[]): string | undefined =>
  argv.find((word) => word.startsWith('-') && !isSharedFlag(word));

/**
 * The word after a `--` that comes before any command's name (`wirestate -- server`), '' when nothing follows it,
 * undefined when the line has no such `--`. yargs takes the words after it for arguments, so the command would
 * be named by none of them: nothing ran, and the exit said success.
 */
export const wordAfterEarlyEnd = (typed: string[]): string | undefined => {
  let index = 0;
  while (index < typed.length && typed[index].startsWith('-') && typed[index] !== '--') {
    // `wirestate --help --` asks for the help, which names no command either.
    if (ANSWERED_WITHOUT_A_COMMAND.includes(typed[index])) return undefined;
    index += takesNextWord(typed, index) ? 2 : 1;
  }
  return typed[index] === '--' ? (typed[index + 1] ?? '') : undefined;
};

/** The flags that need no command: the help and the version. */
const ANSWERED_WITHOUT_A_COMMAND = ['--help', '-h', '-?', '--usage', '--version'];

/** Whether the flag at `index`, before the command (or between a protocol and its role), takes the word after it for its value. */
export const takesNextWord = (typed: string[], index: number): boolean =>
  TAKING_A_VALUE.includes(typed[index]) || (typed[index] === '--inspect' && /^\d+$/.test(typed[index + 1] ?? ''));

/**
 * For a first word that names no command: the flag typed before it that no command shares (`--host` in
 * `wirestate --host 127.0.0.1 server`), whose value was then taken for the command; undefined if there is none.
 * The shared flags before it are passed over with their values (`--log-format json --host 1 server`).
 */
export const misplacedFlag = (typed: string[]): string | undefined => {
  for (let index = 0; index < typed.length && typed[index].startsWith('-') && typed[index] !== '--'; index++) {
    const word = typed[index];
    if (!isSharedFlag(word)) return word.split('=')[0];
    if (takesNextWord(typed, index)) index++;
  }
  return undefined;
};
