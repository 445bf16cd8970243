/**
 * `npm run load`'s arguments: a bad one is refused before anything starts, in one line ending `see --help`, exit 2,
 * as every wirestate command refuses bad usage (no usage dump, no figures, no NaN).
 */
import { join } from 'node:path';
import { EXIT } from '../src/engine/exit-codes';
import { run } from '../src/test-support/processes';

const LOAD = join(__dirname, '..', 'dist', 'scripts', 'load.js');

it.each([
  [['--clients=0'], '--clients must be a whole number of 1 or more, got 0'],
  [['--clients=-5'], '--clients must be a whole number of 1 or more, got -5'],
  [['--clients=1.5'], '--clients must be a whole number of 1 or more, got 1.5'],
  [['--timeout=0'], '--timeout must be a number of seconds above 0, got 0'],
  [['--max-size=abc'], '--max-size must be a size (2M, 512K, 1000), not "abc"'],
  [['--bogus'], 'unknown option --bogus'],
])('%j: refused in one line, "npm run load: %s; see --help", exit 2', async (args, words) => {
  const result = await run(process.execPath, [LOAD, ...args]);
  expect(result).toEqual({ code: EXIT.usage, stdout: '', stderr: `npm run load: ${words}; see --help\n` });
});
