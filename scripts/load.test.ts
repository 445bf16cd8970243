/** `npm run load`'s arguments: a count of clients that is no count is refused before anything starts. */
import { join } from 'node:path';
import { run } from '../src/test-support/processes';

const LOAD = join(__dirname, '..', 'dist', 'scripts', 'load.js');

it.each(['0', '-5', '1.5'])('--clients %s: refused in one line, exit 1, no figures (NaN) printed', async (clients) => {
  const result = await run(process.execPath, [LOAD, `--clients=${clients}`]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`--clients must be a whole number of 1 or more, got ${clients}`);
  expect(result.stdout).not.toContain('NaN');
});
