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
