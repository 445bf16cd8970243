/**
 * A client's word that starts with `-` where yargs would read it as flags of its own: refused in one line that
 * says how to give it, before yargs prints the help for an `h` among those letters (exit 0, nothing done) or
 * lists the letters it does not know. Two cases:
 * - the value of a flag that takes one (`-v -dash`, `--record -traces`): written `-v=-dash`;
 * - a word of the clients whose words may start with `-` (upper's, sum's and ardei's: `-hello`): it goes after
 *   `--`; to the other clients, an unknown option (`-hello-wait`, for `--hello-wait`, printed the help, exit 0).
 * A client's own short flags, or a group of them (`-dh`, `-ql FILE`), stay flags.
 * A lone `-` (stdin or stdout), a negative number (`-5`) and everything after `--` are words as typed.
 */
import { takesNextWord } from './leading-options';

/** The clients' own flags that take the next word for their value (the shared ones: leading-options.ts). */
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
];
/** The clients whose words may start with `-`, given after `--` (`wirestate upper client -- -hello`). */
const FREE_WORD_CLIENTS = ['upper', 'sum', 'ardei'];
/** A client's short flags: a group of them (`-dh`, `-ql`), and one that ends in a flag taking the next word (`-dl`). */
interface ShortFlags {
  group: RegExp;
  endsTaking?: RegExp;
}
/** The short flags `plain` (none takes a value) and `taking` (each takes the next word); only a group's last may take one. */
const shortFlags = (plain: string, taking = ''): ShortFlags => ({
  group: new RegExp(`^-[${plain}]*[${plain}${taking}]$`),
  endsTaking: taking === '' ? undefined : new RegExp(`^-[${plain}]*[${taking}]$`),
});
/** Each client's short flags, by protocol; the others have only -d, -h and -?. */
const SHORT_FLAGS: Readonly<Record<string, ShortFlags>> = {
  transfer: shortFlags('dhq?', 'msvl'),
  share: shortFlags('dh?', 'io'),
};
const COMMON_SHORT_FLAGS = shortFlags('dh?');
/** What yargs takes for a negative number, not for flags (`-5`, `-0.5`, `-.5`). */
const NEGATIVE_NUMBER = /^-(\d+(\.\d+)?|\.\d+)$/;

/** Whether the word at `at` is a flag that takes the next word: a client's own, or one every command shares. */
const takesNext = (argv: string[], at: number) => VALUE_FLAGS.includes(argv[at]) || takesNextWord(argv, at);

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
  const flags = SHORT_FLAGS[client.protocol] ?? COMMON_SHORT_FLAGS;
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  for (let at = client.from; at < end; at++) {
    const word = argv[at];
    if (!word.startsWith('-') || word === '-' || NEGATIVE_NUMBER.test(word)) continue;
    const before = argv[at - 1];
    const flag = takesNext(argv, at - 1) ? before : flags.endsTaking?.test(before) ? `-${before.slice(-1)}` : undefined;
    if (flag) return `${flag} needs a value, and ${word} starts with - so it reads as options: write ${flag}=${word}`;
    // A long flag is yargs's to take or refuse; a group of the client's own short flags is flags (`-v=NAME` too).
    if (word.startsWith('--') || flags.group.test(word.split('=')[0])) continue;
    return FREE_WORD_CLIENTS.includes(client.protocol)
      ? `${word} is no option of this command: a word that starts with - goes after -- (wirestate ${client.protocol} client -- ${word} ...)`
      : `unknown option ${word}`;
  }
  return undefined;
}
