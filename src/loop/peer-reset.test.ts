/** A FIN and a reset that libuv both reports as the end of stream, told apart on real loopback sockets. */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { peerReset } from './peer-reset';

describe.each(['127.0.0.1', '::1'])('over %s', (host) => {
  it.each([
    ['a reset', true],
    ['a FIN', false],
  ])('a peer that sent data then %s: peerReset says %s at its end of stream', async (_how, reset) => {
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const client = connect((server.address() as AddressInfo).port, host);
    try {
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      await once(client, 'connect');
      client.write('partial');
      if (reset) client.resetAndDestroy();
      else client.end();
      const [socket] = await accepted;
      socket.on('error', () => undefined);
      socket.resume();
      await once(socket, 'end');
      expect(peerReset(socket)).toBe(reset);
      socket.destroy();
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('a peer that reset before the server looked at the connection: peerReset says true', async () => {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const client = connect((server.address() as AddressInfo).port, host);
    try {
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      await once(client, 'connect');
      client.write('partial');
      client.resetAndDestroy();
      const [socket] = await accepted;
      socket.on('error', () => undefined);
      await delay(200); // the reset reaches the server's socket (no timed assertion: the answer is the same any later)
      expect(peerReset(socket)).toBe(true);
      socket.destroy();
    } finally {
      client.destroy();
      server.close();
    }
  });
});
