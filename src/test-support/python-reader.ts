/**
 * A transfer download read the way a slow or stalling client reads it, through a receive buffer of a chosen size
 * (set in a Python process: Node's sockets cannot set SO_RCVBUF): it asks for the file, confirms, then takes the
 * DATA at a given pace, with pauses if asked, and closes with a FIN or a reset.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OP, STATUS, encodeRequest, encodeStatus } from '../../machines/transfer/frames';
import { python } from './python';

const execFileAsync = promisify(execFile);

const SCRIPT = [
  'import socket, struct, sys, time',
  'port, request, confirm = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])',
  'buffer, rate, recv_size, every, pause = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])',
  'until = time.time() + int(sys.argv[9]) / 1000 if int(sys.argv[9]) > 0 else float("inf")',
  's = socket.socket()',
  's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)',
  "s.connect(('127.0.0.1', port))",
  's.settimeout(30)',
  's.sendall(request)',
  'reply = b""',
  'while len(reply) < 9: reply += s.recv(9 - len(reply))',
  's.sendall(confirm)',
  'received, paused, ended = 0, 0, "read on"',
  'while time.time() < until:',
  '    if received >= (paused + 1) * every: time.sleep(pause); paused += 1',
  '    try: chunk = s.recv(recv_size)',
  '    except ConnectionResetError: ended = "reset"; break',
  '    if not chunk: ended = "end"; break',
  '    received += len(chunk)',
  '    time.sleep(len(chunk) / rate)',
  "if sys.argv[10] == 'reset': s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))",
  's.close()',
  'print(received, ended)',
].join('\n');

export interface Reading {
  /** The receive buffer, in bytes. */
  buffer: number;
  /** Bytes per second it takes. */
  rate: number;
  /** Bytes asked of each read (default 8 KiB). */
  recvSize?: number;
  /** After every `pauseEvery` bytes, it takes nothing for `pauseS` seconds, then reads on. */
  pauseEvery?: number;
  pauseS?: number;
  /** It stops reading after this long (default: it reads to the end). */
  forMs?: number;
  /** It closes with a reset (SO_LINGER 0) instead of a FIN. */
  resetAtEnd?: boolean;
}

/**
 * Downloads `name` from the transfer server at 127.0.0.1:`port`. How many bytes of the reply came, and how it
 * ended for the reader: `end` (the server's FIN), `reset`, or `read on` (neither, before `forMs` ran out).
 */
export async function readDownload(
  port: number,
  name: string,
  {
    buffer,
    rate,
    recvSize = 8192,
    pauseEvery = Number.MAX_SAFE_INTEGER,
    pauseS = 0,
    forMs = 0,
    resetAtEnd = false,
  }: Reading,
): Promise<{ received: number; ended: string }> {
  const { stdout } = await execFileAsync(python(), [
    '-c',
    SCRIPT,
    String(port),
    encodeRequest(OP.download, name).toString('hex'),
    encodeStatus(STATUS.yes).toString('hex'),
    String(buffer),
    String(rate),
    String(recvSize),
    String(pauseEvery),
    String(pauseS),
    String(forMs),
    resetAtEnd ? 'reset' : 'close',
  ]);
  const [received, ...ended] = stdout.trim().split(' ');
  return { received: Number(received), ended: ended.join(' ') };
}
