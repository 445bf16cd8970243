/**
 * A server that answers a request with E: the client says so once, plainly, exit 4 (the server's error). Before: "the server
 * reported an error: the server refused the request (E)".
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { STATUS, encodeStatus } from '../../machines/transfer/frames';
import { EXIT } from '../engine/exit-codes';
import { wirestate } from '../test-support/processes';

it('a download the server answers with E: "the server reported an error: it answered E (...)", in words', async () => {
  const sockets: Socket[] = [];
  const erring = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    // DOWNLOAD_REPLY: the status, then a size of 0.
    socket.once('data', () => socket.end(Buffer.concat([encodeStatus(STATUS.error), Buffer.alloc(8)])));
  });
  try {
    await once(erring.listen(0, '127.0.0.1'), 'listening');
    const { port } = erring.address() as AddressInfo;
    const result = await wirestate(['client', '-s', `127.0.0.1:${port}`, '-v', 'speech.txt', '-l', '-', '--plain']);
    expect(result).toMatchObject({
      code: EXIT.serverError,
      stderr: expect.stringMatching(
        /^wirestate client: the server reported an error: it answered E \(something went wrong on its side, or it will not serve that name, such as one leading out of its folder\)$/m,
      ),
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    erring.close();
  }
});
