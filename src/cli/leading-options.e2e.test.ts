/**
 * Options before the command are the command's; a flag no command knows is named as one. Before:
 * `wirestate --log-format json client ...` said "unknown command: json" and `wirestate -x` "name a command";
 * `--log-format json replay x` and `--log-format json completion` said "unknown option --log-format", and `-d replay x`
 * "unknown option -d".
 */
import { EXIT } from '../engine/exit-codes';
import { freePort, wirestate } from '../test-support/processes';
import { refusedInWords } from '../test-support/one-line';

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
  // A command's own flag before it: its value was taken for the command ("unknown command: 127.0.0.1").
  [
    ['--record', 'traces', '-l', '0', 'server'],
    "-l goes after the command's name: only the flags every command shares \\(--log-format, --record, --inspect, -d\\) may come before it",
  ],
  [
    ['--host', '127.0.0.1', 'server'],
    "--host goes after the command's name: only the flags every command shares \\(--log-format, --record, --inspect, -d\\) may come before it",
  ],
  // Before: yargs took the words after `--` for arguments, ran nothing and exited 0.
  [['--', 'server'], "-- ends the options, so the command's name goes before it \\(wirestate server \\.\\.\\.\\)"],
  [
    ['-d', '--', 'upper', 'server'],
    "-- ends the options, so the command's name goes before it \\(wirestate upper \\.\\.\\.\\)",
  ],
  [['--'], "-- ends the options, so the command's name goes before it"],
  // Only a command is offered as the word to put first.
  [['--', 'nosuch'], "-- ends the options, so the command's name goes before it"],
  [['--', '--help'], "-- ends the options, so the command's name goes before it"],
])('%j: "%s", exit 2', refusedInWords);

it('--log-format json and no command: "name a command" as a JSON error line, exit 2', async () => {
  const result = await wirestate(['--log-format', 'json']);
  expect(result.code).toBe(EXIT.usage);
  expect(JSON.parse(`${result.stdout}${result.stderr}`)).toMatchObject({
    event: 'error',
    message: 'name a command',
  });
});

it('--log-format json before replay: its failure is a JSON error line on stderr, exit 2', async () => {
  const result = await wirestate(['--log-format', 'json', 'replay', 'no-such-trace.jsonl']);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe('');
  expect(JSON.parse(result.stderr)).toMatchObject({
    event: 'error',
    message: 'cannot read no-such-trace.jsonl: no such file or folder (ENOENT)',
  });
});

it('--log-format json before completion: the script, exit 0; before completion fish: a JSON error line, exit 2', async () => {
  expect(await wirestate(['--log-format', 'json', 'completion', 'bash'])).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/^complete -o bashdefault/m),
  });
  const fish = await wirestate(['--log-format', 'json', 'completion', 'fish']);
  expect(fish.code).toBe(EXIT.usage);
  expect(JSON.parse(fish.stderr)).toMatchObject({ event: 'error', message: expect.stringMatching(/^fish is not/) });
});

it.each([
  [['-d', 'replay', 'x'], 'replay takes no -d'],
  [['--record', 'traces', 'completion', 'bash'], 'completion takes no --record'],
  [['--inspect', 'proxy'], 'proxy takes no --inspect'],
  [['replay', 'x', '--debug'], 'replay takes no --debug'],
])('%j, a flag other commands share: "%s", exit 2', refusedInWords);

it.each([['--help'], ['--version']])('%s -- still answers, exit 0', async (flag) => {
  const result = await wirestate([flag, '--']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(flag === '--help' ? /^wirestate <command>/ : /^\d+\.\d+\.\d+$/m);
});
