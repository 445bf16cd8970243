/**
 * A client's word that starts with `-` where yargs would read it as flags of its own: refused in one line that
 * says how to give it, before yargs prints the help for an `h` among those letters (exit 0, nothing done) or
 * lists the letters it does not know. Two cases:
 * - the value of a flag that takes one (`-v -dash`, `--record -traces`): written `-v=-dash`;
 * - a word of the clients whose words may start with `-` (upper's, sum's and ardei's: `-hello`): it goes after
 *   `--`. Their own short flags (`-d`, `-h`, `-?`, a group of them) stay flags.
 * A lone `-` (stdin or stdout), a negative number (`-5`) and everything after `--` are words as typed.
 */

/** The clients' flags that take the next word for their value. */
const VALUE_FLAGS = [
  '-v',
  '--server-file-name',
  '-l',
  '--client-file-name',
  '--list-file',
  '-s',
  '--server',
  '-m',
  '--mode',
  '--parallel',
  '--hello-wait',
  '--host',
  '--port',
  '--silence',
  '--max-size',
  '-i',
  '--input',
  '-o',
  '--output',
  '--idle-timeout',
  '--record',
  '--log-format',
];
/** The clients whose words may start with `-`, given after `--` (`wirestate upper client -- -hello`). */
const FREE_WORD_CLIENTS = ['upper', 'sum', 'ardei'];
/** A group of only the short flags those clients have (`-d`, `-h`, `-?`): `-dh` is theirs. */
const THEIR_SHORT_FLAGS = /^-[dh?]+$/;
/** What yargs takes for a negative number, not for flags (`-5`, `-0.5`, `-.5`). */
const NEGATIVE_NUMBER = /^-(\d+(\.\d+)?|\.\d+)$/;

/** Whether the word at `at` is a flag that takes the next word (a shared one between a protocol and `client` too). */
const takesNext = (argv: string[], at: number) =>
  VALUE_FLAGS.includes(argv[at]) || (argv[at] === '--inspect' && /^\d+$/.test(argv[at + 1] ?? ''));

/**
 * The client command `argv` names (`client ...` is the transfer protocol's; `PROTOCOL [shared flags] client ...`),
 * with where its own words start; undefined for any other command.
 */
function clientOf(argv: string[]): { protocol: string; from: number } | undefined {
  if (argv[0] === 'client') return { protocol: 'transfer', from: 1 };
  let at = 1;
  while (at < argv.length && argv[at].startsWith('-') && argv[at] !== '--') at += takesNext(argv, at) ? 2 : 1;
  return argv[at] === 'client' ? { protocol: argv[0], from: at + 1 } : undefined;
}

/** The refusal for a client's first word that yargs would misread for starting with `-`, or undefined. */
export function dashedWord(argv: string[]): string | undefined {
  const client = clientOf(argv);
  if (!client) return undefined;
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  for (let at = client.from; at < end; at++) {
    const word = argv[at];
    if (!word.startsWith('-') || word === '-' || NEGATIVE_NUMBER.test(word)) continue;
    const flag = argv[at - 1];
    if (VALUE_FLAGS.includes(flag))
      return `${flag} needs a value, and ${word} starts with - so it reads as options: write ${flag}=${word}`;
    if (FREE_WORD_CLIENTS.includes(client.protocol) && /^-[^-]/.test(word) && !THEIR_SHORT_FLAGS.test(word))
      return `${word} is no option of this command: a word that starts with - goes after -- (wirestate ${client.protocol} client -- ${word} ...)`;
  }
  return undefined;
}
