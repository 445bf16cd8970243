/**
 * A client's file name that starts with `-`, typed as the word after `-v` or `-l` (`-v -dash`): yargs reads that
 * word as flags of its own (`-d -a -s -h`, the help), so it is refused in one line that says how to give it
 * (`-v=-dash`). A lone `-` (stdin or stdout) and `--` (the end of the options) are no such word.
 */
const FILE_NAME_FLAGS = ['-v', '--server-file-name', '-l', '--client-file-name'];

/** The refusal for the first file name flag followed by a word starting with `-`, or undefined. */
export function dashAfterFileFlag(argv: string[]): string | undefined {
  const index = argv.findIndex(
    (word, at) =>
      at > 0 && FILE_NAME_FLAGS.includes(argv[at - 1]) && word.startsWith('-') && word !== '-' && word !== '--',
  );
  if (index < 0) return undefined;
  const [flag, word] = [argv[index - 1], argv[index]];
  return `${flag} needs a value, and ${word} starts with - so it reads as options: write ${flag}=${word}`;
}

/** The clients whose words may start with `-`, given after `--` (`wirestate upper client -- -hello`). */
const FREE_WORD_CLIENTS = ['upper', 'sum', 'ardei'];
/** A group of only the short flags those clients have (`-d`, `-h`, `-?`): `-dh` is theirs. */
const THEIR_SHORT_FLAGS = /^-[dh?]+$/;

/**
 * For those clients: the refusal for a word before any `--` that starts with `-` and is none of their flags
 * (`-hello`, `-bob`), or undefined. yargs reads such a word as short flags: `-hello` printed the help and sent
 * nothing (exit 0), `-bob` was refused as `Unknown arguments: b, o`. A negative number (`-5`) is a word.
 */
export function dashWordBeforeEnd(argv: string[]): string | undefined {
  if (!FREE_WORD_CLIENTS.includes(argv[0]) || argv[1] !== 'client') return undefined;
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const word = argv.slice(2, end).find((typed) => /^-[^-\d.]./.test(typed) && !THEIR_SHORT_FLAGS.test(typed));
  if (word === undefined) return undefined;
  return `${word} is no option of this command: a word that starts with - goes after -- (wirestate ${argv[0]} client -- ${word} ...)`;
}
