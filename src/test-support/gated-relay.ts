/**
 * A TCP relay on loopback that holds back what its one client sends once `afterBytes` of it have passed, until
 * the test opens the gate: a sender then blocks on a full socket mid-transfer, with no timing involved.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface GatedRelay {
  port: number;
  /** Resolves once the client's bytes are held back. */
  held: Promise<void>;
  /** Lets the held bytes and the rest through. */
  open(): void;
  close(): Promise<void>;
}

export async function gatedRelay(upstreamPort: number, afterBytes: number): Promise<GatedRelay> {
  const sockets: Socket[] = [];
  let hold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (hold = resolve));
  let release: () => void = () => undefined;
  let gated = false;
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.push(client, upstream);
    let passed = 0;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      passed += chunk.length;
      if (passed < afterBytes || gated) return;
      gated = true;
      client.pause();
      release = () => client.resume();
      hold();
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    // A reset on either side resets the other, as a plain connection would.
    client.on('error', () => upstream.resetAndDestroy());
    upstream.on('error', () => client.resetAndDestroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    held,
    open: () => release(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
