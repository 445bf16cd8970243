/**
 * Options before the command are the command's; a flag no command knows is named as one. Before:
 * `wirestate --log-format json client ...` said "unknown command: json" and `wirestate -x` "name a command".
 */
import { EXIT } from '../engine/exit-codes';
import { freePort, wirestate } from '../test-support/processes';
import { expectOneLine } from '../test-support/one-line';

it('--log-format json before the command: the client logs JSON, its end line names the peer, exit 6', async () => {
  const port = await freePort();
  const result = await wirestate(['--log-format', 'json', 'upper', 'client', '--port', String(port), 'hi']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({
    event: 'end',
    peer: `127.0.0.1:${port}`,
    exit_code: EXIT.cannotConnect,
  });
});

it("-d before the command and --log-format=json after: both the command's, exit 6", async () => {
  const port = await freePort();
  const result = await wirestate([
    '-d',
    'client',
    '-s',
    `127.0.0.1:${port}`,
    '-v',
    'a',
    '-l',
    '-',
    '--log-format=json',
  ]);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ event: 'end' });
});

it.each([
  [['-x'], 'unknown option -x'],
  [['-x', 'client', '-v', 'a'], 'unknown option -x'],
  [['--nope=1', 'upper', 'client', 'hi'], 'unknown option --nope'],
])('%j: "%s", exit 2', async (args, words) => {
  expectOneLine(await wirestate(args), EXIT.usage, new RegExp(`^wirestate: ${words}; see --help$`, 'm'));
});

it('--log-format json and no command: "name a command" as a JSON error line, exit 2', async () => {
  const result = await wirestate(['--log-format', 'json']);
  expect(result.code).toBe(EXIT.usage);
  expect(JSON.parse(`${result.stdout}${result.stderr}`)).toMatchObject({
    event: 'error',
    message: 'name a command (wirestate --help lists them)',
  });
});
