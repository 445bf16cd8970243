/**
 * The one line a command that cannot go on prints: `wirestate: WHY; see --help` for people, or, with
 * `--log-format json`, a JSON error line on the stream the command declared for its logs (`logStream`), so that a
 * log reader meets no prose in the middle of its JSON.
 */
import { logStream } from './log-stream';

/** Whether the words ask for JSON logs (`--log-format json` or `--log-format=json`). */
const wantsJson = (argv: string[]): boolean =>
  argv.includes('--log-format=json') ||
  argv.some((word, index) => word === '--log-format' && argv[index + 1] === 'json');

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
  process[logStream()].write(`${line}\n`);
}
