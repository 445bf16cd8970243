/** `wirestate proxy` that cannot listen: the servers' one line and exit 8 (before: a stack trace and exit 1). */
import { createServer, type AddressInfo } from 'node:net';
import { EXIT } from '../engine/exit-codes';
import { wirestate } from '../test-support/processes';

it('proxy -l PORT with PORT taken: exit 8, the one line a server says, in words', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const result = await wirestate(['proxy', '--host', '127.0.0.1', '-l', String(port)]);
    expect(result).toEqual({
      code: EXIT.cannotListen,
      stdout: expect.stringMatching(
        new RegExp(
          `^[^\\n]* error +proxy: cannot listen on 127\\.0\\.0\\.1:${port} \\(TCP\\): the port is in use \\(EADDRINUSE\\)\\n$`,
        ),
      ),
      stderr: '',
    });
  } finally {
    taken.close();
  }
});

it('proxy --host an address not on this machine: exit 11, in words', async () => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address; nothing is sent, the bind alone fails.
  const result = await wirestate(['proxy', '--host', '192.0.2.1', '-l', '0']);
  expect(result).toEqual({
    code: EXIT.hostNotHere,
    stdout: expect.stringMatching(
      /^[^\n]* error +proxy: cannot listen on 192\.0\.2\.1:0 \(TCP\): the address is not on this machine \(EADDRNOTAVAIL\)\n$/,
    ),
    stderr: '',
  });
});
