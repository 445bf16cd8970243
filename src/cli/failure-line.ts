/**
 * The one line a command that cannot go on prints: `wirestate: WHY; see --help` for people, or, with
 * `--log-format json`, a JSON error line on the stream the command logs to (a server's stdout, a client's stderr),
 * so that a log reader meets no prose in the middle of its JSON.
 */

/** Whether the words ask for JSON logs (`--log-format json` or `--log-format=json`). */
const wantsJson = (argv: string[]): boolean =>
  argv.includes('--log-format=json') ||
  argv.some((word, index) => word === '--log-format' && argv[index + 1] === 'json');

/** Whether the words run a client (`client ...`, `upper client ...`), which logs on stderr; every other command logs on stdout. */
const runsClient = (argv: string[]): boolean => {
  const command = argv.findIndex((word) => !word.startsWith('-'));
  return argv[command] === 'client' || (argv[command] !== 'server' && argv[command + 1] === 'client');
};

export function writeFailure(argv: string[], why: string, exitCode: number): void {
  if (!wantsJson(argv)) {
    process.stderr.write(`wirestate: ${why}; see --help\n`);
    return;
  }
  const line = JSON.stringify({
    level: 'error',
    message: why,
    event: 'error',
    exit_code: exitCode,
    timestamp: new Date().toISOString(),
  });
  (runsClient(argv) ? process.stderr : process.stdout).write(`${line}\n`);
}
