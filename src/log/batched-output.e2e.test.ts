/** A server's log lines, written in batches (batched-output.ts), all reach stdout however the process ends but SIGKILL. */
import { join } from 'node:path';
import { REPO, run } from '../test-support/processes';

/** A process that logs as a server does (stdout, pretty), three lines in one turn, then ends as `end` says. */
const loggingProcess = (end: string) =>
  run(process.execPath, [
    '-e',
    `const log = require(${JSON.stringify(join(REPO, 'dist', 'src', 'log', 'logger.js'))})
      .createLogger({ debug: false, format: 'pretty', stderr: false });
    setImmediate(() => {
      for (const n of [1, 2, 3]) log.info('line ' + n);
      ${end};
    });`,
  ]);

it.each([
  ['an uncaught error', `throw new Error('boom')`, 1],
  ['process.exit', 'process.exit(3)', 3],
  ['the end of its event loop', 'undefined', 0],
])(
  'the lines of the last turn are on stdout, whole and in order, when the process ends by %s',
  async (_how, end, code) => {
    const ended = await loggingProcess(end);
    expect(ended.code).toBe(code);
    expect(ended.stdout.split('\n').map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'info  line 1',
      'info  line 2',
      'info  line 3',
      '',
    ]);
  },
);
