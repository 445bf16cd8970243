/**
 * Blank, garbage, negative and huge values to numeric options, and blank hosts, are one line and exit 2 before
 * anything listens or connects, the same words for every command (one check, cli.ts). Before: `server -l ""`
 * listened on a random port, `upper client --port ""` said "got 0", `client --idle-timeout ""` said
 * "must be more than 0 seconds", `server --host ""` bound [::].
 */
import { refusedInWords } from '../test-support/one-line';

it.each([
  [['server', '-l', ''], '-l needs a value'],
  [['server', '-l', '  '], '-l needs a value'],
  [['server', '--listen-port='], '--listen-port needs a value'],
  [['upper', 'client', '--port', '', 'hi'], '--port needs a value'],
  [['client', '--idle-timeout', '', '-v', 'a'], '--idle-timeout needs a value'],
  [['server', '-l', '0', '--max-size', ' '], '--max-size needs a value'],
  [['server', '-l', '0', '--grace', ''], '--grace needs a value'],
  [['proxy', '-l', ''], '-l needs a value'],
  [['queue', 'server', '', 'TCP'], 'PORT needs a value'],
  [['share', 'server', ' '], 'PORT needs a value'],
  [['server', '-l', '0', '--host', ''], '--host needs a value'],
  [['server', '-l', '0', '--host', '  '], '--host needs a value'],
  [['upper', 'client', '--host', '', 'hi'], '--host needs a value'],
  [['client', '-s', ' ', '-v', 'a'], '-s needs a value'],
])('%j: "%s", exit 2', refusedInWords);

// A lone `-` among a client's words: yargs said `--sentence needs a value`, naming an option there is none of.
it.each([
  [
    ['upper', 'client', '-'],
    '- cannot stand for SENTENCE: a lone - means standard input or output only where a file is named',
  ],
  [['ardei', 'client', 'hi', '-'], '- cannot stand for REQUEST: .*'],
])('%j: "%s", exit 2', refusedInWords);

it.each([
  [['upper', 'client', '--port', 'abc', 'hi'], '--port takes a number'],
  [['upper', 'client', '--port', '1e999', 'hi'], '--port takes a finite number'],
  [['client', '--idle-timeout', 'Infinity', '-v', 'a'], '--idle-timeout takes a finite number'],
  [['server', '-l', '0', '--max-size', '-1'], '--max-size must be a whole number of bytes'],
  [['upper', 'client', '--port', '-5', 'hi'], '--port must be 1..65535, got -5'],
])('%j: "%s", exit 2', refusedInWords);

// Node's timers hold at most 2^31-1 ms: a longer one fired at once (`client --idle-timeout 3000000` timed out, exit 5).
it.each([
  [['client', '--idle-timeout', '3000000', '-v', 'a'], '--idle-timeout is at most 2147483 seconds \\(24 days\\)'],
  [['client', '--hello-wait', '2147484', '-v', 'a'], '--hello-wait is at most 2147483 seconds \\(24 days\\)'],
  [['server', '-l', '0', '--grace', '1e7'], '--grace is at most 2147483 seconds \\(24 days\\)'],
  [['proxy', '-l', '0', '--max-delay-ms', '3000000000'], '--max-delay-ms is at most 2147483647 ms \\(24 days\\)'],
])('%j: "%s", exit 2', refusedInWords);

// A count of connections, bytes or files is whole: `--max-connections 1.5` started a server.
it.each([
  [
    ['server', '-l', '0', '--host', '127.0.0.1', '--max-connections', '1.5'],
    '--max-connections takes a whole number, not 1.5',
  ],
  [['server', '-l', '0', '--host', '127.0.0.1', '--min-rate', '0.5'], '--min-rate takes a whole number, not 0.5'],
])('%j: "%s", exit 2', refusedInWords);
