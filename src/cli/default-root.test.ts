/**
 * The servers that serve a folder default to the folder they are started in, as their help says
 * (a move of these commands once turned the default into a path relative to the source tree).
 */
import { wirestate } from '../test-support/processes';

it.each([
  ['share', 'server'],
  ['blocks', 'server'],
  ['ardei', 'server'],
])('%s %s --help says --root defaults to the current folder', async (...command) => {
  const { code, stdout } = await wirestate([...command, '--help']);
  expect(code).toBe(0);
  const rootLine = stdout.split('\n').findIndex((line) => line.includes('--root'));
  expect(
    stdout
      .split('\n')
      .slice(rootLine, rootLine + 3)
      .join(' '),
  ).toMatch(/\[default: "\."\]/);
});
