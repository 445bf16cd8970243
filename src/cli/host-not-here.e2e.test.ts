/**
 * A server whose --host names no address of this machine (a name that does not resolve, an address on no
 * interface) stops with one line and exit 11, not the port-in-use 8. Before: exit 8 for both.
 */
import { EXIT } from '../engine/exit-codes';
import { wirestate } from '../test-support/processes';

it.each([
  [
    ['server', '--host', 'nohost.invalid', '-l', '0'],
    'transfer: cannot listen on nohost.invalid:0 \\(TCP\\): no such host \\(ENOTFOUND\\)',
  ],
  [
    ['server', '--host', '192.0.2.1', '-l', '0'],
    'transfer: cannot listen on 192.0.2.1:0 \\(TCP\\): the address is not on this machine \\(EADDRNOTAVAIL\\)',
  ],
  [
    ['queue', 'server', '0', 'UDP', '--host', 'nohost.invalid'],
    'queue-udp: cannot listen on nohost.invalid:0 \\(UDP\\): no such host \\(ENOTFOUND\\)',
  ],
  [
    ['proxy', '--host', 'nohost.invalid', '-l', '0'],
    'proxy: cannot listen on nohost.invalid:0 \\(TCP\\): no such host \\(ENOTFOUND\\)',
  ],
])('%j: one line, exit 11', async (args, line) => {
  const result = await wirestate(args);
  expect(result.code).toBe(EXIT.hostNotHere);
  expect(`${result.stdout}${result.stderr}`.trimEnd().split('\n')).toEqual([
    expect.stringMatching(new RegExp(`error +${line}$`)),
  ]);
});

// A client's host that does not resolve is "cannot connect" (UDP: "cannot reach"), exit 6, over UDP as over TCP. Before: UDP clients
// crashed with a stack trace (ERR_SOCKET_BAD_PORT), exit 1.
it.each([
  [['client', '-s', 'nohost.invalid:5', '-v', 'a', '-l', '-'], 'wirestate client'],
  [['queue', 'client', 'nohost.invalid', '5', 'TCP', 'receive'], 'wirestate queue client'],
  [['queue', 'client', 'nohost.invalid', '5', 'UDP', 'receive'], 'wirestate queue client'],
  [['ardei', 'client', '--host', 'nohost.invalid', '--port', '5', '--udp', 'a'], 'wirestate ardei client'],
])('%j: cannot connect, no such host, exit 6', async (args, who) => {
  const result = await wirestate(args);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toMatch(
    new RegExp(`^${who}: cannot (connect to|reach) nohost\\.invalid:5: no such host \\(ENOTFOUND\\)$`, 'm'),
  );
});
