/**
 * Blank, garbage, negative and huge values to numeric options, and blank hosts, are one line and exit 2 before
 * anything listens or connects, the same words for every command (one check, cli.ts). Before: `server -l ""`
 * listened on a random port, `upper client --port ""` said "got 0", `client --idle-timeout ""` said
 * "must be more than 0 seconds", `server --host ""` bound [::].
 */
import { refusedInWords } from '../test-support/one-line';

// One check (blank-values.ts) for every option: kept are the forms it tells apart (a typed flag, `--flag=`, a blank
// of spaces, a positional, an address read as text, a short alias, a port read as typed) and the options whose names
// the line shows, not every command again (--grace's name is shown by its 24-days line below).
it.each([
  [['server', '-l', ''], '-l needs a value'],
  [['server', '--listen-port='], '--listen-port needs a value'],
  [['upper', 'client', '--port', '', 'hi'], '--port needs a value'],
  [['client', '--idle-timeout', '', '-v', 'a'], '--idle-timeout needs a value'],
  [['server', '-l', '0', '--max-size', ' '], '--max-size needs a value'],
  [['queue', 'server', '', 'TCP'], 'PORT needs a value'],
  [['share', 'server', ' '], 'PORT needs a value'],
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

// (`server -l abc` is refused by the same rule as 1e999, which Number() reads as Infinity.)
it.each([
  [['server', '-l', '1e999'], '--listen-port must be a number 0\\.\\.65535, not "1e999"'],
  [['client', '--idle-timeout', 'Infinity', '-v', 'a'], '--idle-timeout takes a finite number'],
  [['server', '-l', '0', '--max-size', '-1'], '--max-size must be a whole number of bytes'],
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

// A server's port is decimal digits, 1..65535, for every client as for `-s host:port` (host-port.ts): yargs's number
// type took what Number() reads, and `upper client --port 0x10` connected to port 16, `queue client h 1e3 ...` to 1000.
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notAPort = (word: string) => `must be a number 1\\.\\.65535, not "${escaped(word)}"`;
// One rule (host-port.ts serverPort) for every client: each word once, taken in turn by the two forms (a flag, a
// positional), rather than every word by both (16 processes for the same words).
it.each(
  ['0x10', '1e3', ' 80', '+80', '80.0', '0', '65536', '-5'].map((word, index) =>
    index % 2 === 0
      ? [['upper', 'client', '--port', word, 'hi'], `--port ${notAPort(word)}`]
      : [['queue', 'client', '127.0.0.1', word, 'TCP', 'receive'], `PORT ${notAPort(word)}`],
  ),
)('%j: "%s", exit 2', refusedInWords);
it.each([
  [['sum', 'client', '--port=0x10', 'bob', '5'], `--port ${notAPort('0x10')}`],
  [['ardei', 'client', '--port', '1e3', '10'], `--port ${notAPort('1e3')}`],
  [['share', 'client', '127.0.0.1', '+80', 'list'], `PORT ${notAPort('+80')}`],
  [['client', '-s', '127.0.0.1:80.0', '-v', 'a'], `the port in "127\\.0\\.0\\.1:80\\.0" ${notAPort('80.0')}`],
  [['client', '-s', '127.0.0.1:0', '-v', 'a'], `the port in "127\\.0\\.0\\.1:0" ${notAPort('0')}`],
  [
    ['blocks', 'client', '127.0.0.1:0x10:a.txt', 'b.txt'],
    'expected server:port:fNameInServer, got "127\\.0\\.0\\.1:0x10:a\\.txt"',
  ],
])('%j: "%s", exit 2', refusedInWords);

// A port a server listens on is held to the same rule, 0 besides (the system picks one): `server -l 0x10` listened on
// 16, `queue server 1e3 TCP` on 1000, `ardei server --tcp-port +80` on 80. Each is told to bind 192.0.2.1 (TEST-NET-1,
// never a local address): a build that took the word as a port fails to bind (exit 11), never listens on a fixed port.
const nowhere = ['--host', '192.0.2.1'];
const notAListenPort = (word: string) => `must be a number 0\\.\\.65535, not "${escaped(word)}"`;
// One rule (host-port.ts listenPort) for every server: each word once, each of six commands' ports taking the words
// in turn (the seventh word goes back to the first), rather than every word by every command (42 processes).
const listeners = [
  (word: string) => [['server', '-l', word, ...nowhere], `--listen-port ${notAListenPort(word)}`],
  (word: string) => [['proxy', `--listen-port=${word}`, ...nowhere], `--listen-port ${notAListenPort(word)}`],
  (word: string) => [['upper', 'server', word, ...nowhere], `PORT ${notAListenPort(word)}`],
  (word: string) => [['queue', 'server', word, 'TCP', ...nowhere], `PORT ${notAListenPort(word)}`],
  (word: string) => [['ardei', 'server', '--udp-port', word, ...nowhere], `--udp-port ${notAListenPort(word)}`],
  (word: string) => [['serve-all', `--share-port=${word}`, ...nowhere], `--share-port ${notAListenPort(word)}`],
];
it.each(
  ['0x10', '1e3', ' 80', '+80', '80.0', '65536', '-5'].map(
    (word, index) => listeners[index % listeners.length](word) as [string[], string],
  ),
)('%j: "%s", exit 2', refusedInWords);
it.each([
  [['sum', 'server', '0x10', ...nowhere], `PORT ${notAListenPort('0x10')}`],
  [['blocks', 'server', '1e3', ...nowhere], `PORT ${notAListenPort('1e3')}`],
  [['share', 'server', '+80', ...nowhere], `PORT ${notAListenPort('+80')}`],
  [['ardei', 'server', '--tcp-port', '0x10', ...nowhere], `--tcp-port ${notAListenPort('0x10')}`],
  [['ardei', 'server', '--advanced', '1e3', ...nowhere], `--advanced ${notAListenPort('1e3')}`],
  [['serve-all', '--transfer-port', '+80', ...nowhere], `--transfer-port ${notAListenPort('+80')}`],
])('%j: "%s", exit 2', refusedInWords);
// The offset added to serve-all's default ports follows the same digits (a sign allowed): `0x10` moved them by 16.
// One pattern (serve-defaults.ts) refuses them all: a radix, a plus sign (a minus is allowed), a fraction.
it.each(['0x10', '+80', '80.0'])('serve-all --port-offset %j: refused, exit 2', (word) =>
  refusedInWords(
    ['serve-all', '--only', 'upper', '--port-offset', word, ...nowhere],
    `--port-offset must be a whole number, not "${escaped(word)}"`,
  ),
);
