/**
 * A client that breaks off with a real RST, the way a crashed or killed peer
 * does: Python's socket with SO_LINGER {on, 0} then close. It sends `request`,
 * waits for the server's first reply bytes if `waitForReply`, sends `bytes`
 * random bytes, and resets. Node cannot set SO_LINGER on its own sockets.
 */
import { run } from './processes';
import { python } from './python';

const SCRIPT = `
import os, socket, struct, sys
port, request, wait, size = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3] == 'wait', int(sys.argv[4])
s = socket.create_connection(('127.0.0.1', port))
s.sendall(request)
if wait: s.recv(16)
s.sendall(os.urandom(size))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
`;

/** Resolves once the client has reset its connection; rejects if Python failed. */
export async function sendThenReset(
  port: number,
  request: string,
  bytes: number,
  waitForReply: boolean,
): Promise<void> {
  const result = await run(python(), [
    '-c',
    SCRIPT,
    String(port),
    request,
    waitForReply ? 'wait' : 'no-wait',
    String(bytes),
  ]);
  if (result.code !== 0) throw new Error(`the resetting client failed: ${result.stderr}`);
}
