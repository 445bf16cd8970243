/**
 * A TCP relay on loopback that holds back what one side of its one connection sends once `afterBytes` of it have
 * passed, until the test opens the gate: the sender then blocks on a full socket mid-transfer, with no timing involved.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface GatedRelay {
  port: number;
  /** Resolves once the gated side's bytes are held back. */
  held: Promise<void>;
  /** Lets the held bytes and the rest through. */
  open(): void;
  close(): Promise<void>;
}

/** `gated`: whose bytes are held, the client's (an upload's) or the server's (a download's). */
export async function gatedRelay(
  upstreamPort: number,
  afterBytes: number,
  gated: 'client' | 'server' = 'client',
): Promise<GatedRelay> {
  const sockets: Socket[] = [];
  let hold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (hold = resolve));
  let release: () => void = () => undefined;
  let holding = false;
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.push(client, upstream);
    const [sender, receiver] = gated === 'client' ? [client, upstream] : [upstream, client];
    let passed = 0;
    sender.on('data', (chunk: Buffer) => {
      receiver.write(chunk);
      passed += chunk.length;
      if (passed < afterBytes || holding) return;
      holding = true;
      sender.pause();
      release = () => sender.resume();
      hold();
    });
    receiver.pipe(sender);
    sender.on('end', () => receiver.end());
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
