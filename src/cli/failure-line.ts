/**
 * The one line a command that cannot go on prints. A bad command line (exit 2) is said before any log starts, on
 * stderr: `wirestate: WHY; see --help` for people, or with `--log-format json` a JSON error line. A setting that
 * cannot work (a `--root` that is a file, a port in use, ...) is the command's first log line, on the stream it
 * declared for its logs (`logStream`: a server's or the proxy's stdout, a client's stderr); a client's keeps the
 * `wirestate: WHY; see --help` form for people, a server's is a log line like any other, in either format.
 */
import { EXIT } from '../engine/exit-codes';
import { createLogger } from '../log/logger';
import { jsonEscapedUnshown } from '../log/unshown-characters';
import { jsonResultOffered, printResult } from './json-result';
import { logStream } from './log-stream';
import { printable } from './printable';
import { typedAsFlag } from './usage-words';

/** Whether the words ask for JSON logs (`--log-format json` or `--log-format=json`). */
const wantsJson = (argv: string[]): boolean =>
  argv.includes('--log-format=json') ||
  argv.some((word, index) => word === '--log-format' && argv[index + 1] === 'json');

/** `jsonResult`: the command takes `--json` (known once its options are built, or told by a refusal made before). */
export function writeFailure(argv: string[], why: string, exitCode: number, jsonResult = jsonResultOffered()): void {
  const json = wantsJson(argv);
  if (exitCode !== EXIT.usage && logStream() === 'stdout') {
    // An error line goes out at once (batched-output.ts), before the exit that follows.
    createLogger({ debug: false, format: json ? 'json' : 'pretty', stderr: false }).error(why, {
      event: 'error',
      exit_code: exitCode,
    });
    return;
  }
  // Else it is a bad command line, or a client's setting that cannot work: both on stderr; and a client asked for
  // `--json` still leaves its one object on stdout, for the script that reads it (`not_started`, `code`: `usage`...).
  if (jsonResult && typedAsFlag(argv, ['json']))
    printResult({ outcome: undefined, detail: why, startedMs: performance.now(), exitCode });
  if (!json) {
    process.stderr.write(`wirestate: ${printable(why)}; see --help\n`);
    return;
  }
  const line = JSON.stringify({
    level: 'error',
    message: why,
    event: 'error',
    exit_code: exitCode,
    timestamp: new Date().toISOString(),
  });
  // JSON.stringify leaves C1 and the like raw: escaped as every log line's are (unshown-characters.ts).
  process.stderr.write(`${jsonEscapedUnshown(line)}\n`);
}
