/**
 * The crash harness's clients: raw queue sends and receives and transfer
 * uploads over loopback, each reporting how the server ended it and whether
 * that came before the harness sent its SIGKILL (only a clean close the
 * server made while alive is an acknowledgement; a killed process's sockets
 * are closed by the kernel with the same FIN).
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { GET } from '../machines/queue/codec';
import { OP, STATUS, encodeRequest } from '../machines/transfer/frames';

/** Each socket gives up after this long without traffic, so a round always ends. */
const SOCKET_TIMEOUT_MS = 10_000;

export interface Ending {
  /** The server closed cleanly (FIN, and no reset after it). */
  clean: boolean;
  /** ...and the harness had not yet sent the kill when it saw that. */
  beforeKill: boolean;
  /** Every byte the server sent. */
  data: Buffer;
}

/** One conversation: bytes as they come, and how it ended. */
function converse(port: number, localAddress: string, killed: () => boolean) {
  const socket: Socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.setTimeout(SOCKET_TIMEOUT_MS, () => socket.destroy(new Error('timed out')));
  const chunks: Buffer[] = [];
  let length = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  // A FIN followed by a reset (the kernel's close of a killed server, then our unread bytes reaching it) is no clean close.
  let endedBeforeKill: boolean | undefined;
  socket.on('end', () => (endedBeforeKill = !killed()));
  socket.on('error', () => undefined); // reported by 'close'
  const ended = new Promise<Ending>((resolve) => {
    socket.on('close', (hadError) =>
      resolve({
        clean: endedBeforeKill !== undefined && !hadError,
        beforeKill: endedBeforeKill ?? false,
        data: Buffer.concat(chunks),
      }),
    );
  });
  /** Resolves once `count` bytes have come, or with fewer once the connection ended. */
  const receivedAtLeast = async (count: number): Promise<Buffer> => {
    while (length < count) {
      const over = await Promise.race([
        once(socket, 'data').then(
          () => false,
          () => true,
        ),
        ended.then(() => true),
      ]);
      if (over) break;
    }
    return Buffer.concat(chunks);
  };
  return { socket, ended, receivedAtLeast };
}

/** Sends a queue message (its bytes, then the end of the client's side) and waits for the server's close. */
export function sendMessage(
  port: number,
  localAddress: string,
  message: Buffer,
  killed: () => boolean,
): Promise<Ending> {
  const { socket, ended } = converse(port, localAddress, killed);
  socket.end(message);
  return ended.finally(() => socket.destroy());
}

/** Asks for the oldest message; the reply is everything the server sent before closing. */
export function receiveMessage(port: number, localAddress: string, killed: () => boolean): Promise<Ending> {
  const { socket, ended } = converse(port, localAddress, killed);
  socket.end(GET);
  return ended.finally(() => socket.destroy());
}

/** Uploads `bytes` as `name` over the transfer protocol; `clean` only if the server said yes twice and then closed. */
export async function upload(
  port: number,
  localAddress: string,
  name: string,
  bytes: Buffer,
  killed: () => boolean,
): Promise<Ending> {
  const { socket, ended, receivedAtLeast } = converse(port, localAddress, killed);
  try {
    socket.write(encodeRequest(OP.upload, name));
    if ((await receivedAtLeast(1))[0] !== STATUS.yes) return { ...(await ended), clean: false };
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(bytes.length));
    socket.write(size);
    const replies = await receivedAtLeast(2);
    if (replies[1] !== STATUS.yes) return { ...(await ended), clean: false };
    socket.write(bytes);
    const ending = await ended;
    return { ...ending, clean: ending.clean && ending.data.length === 2 };
  } finally {
    socket.destroy();
  }
}
