/**
 * The share client against servers that break the protocol, each a fake server here on loopback: bytes
 * after `pass` to a put (at once, held open, or mid-upload) end it as a protocol error, exit 5, at once;
 * an endless get past `--max-size` keeps nothing, exit 7.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { wirestate } from '../../src/test-support/processes';

let here: string;
let hostile: Server | undefined;
beforeEach(async () => (here = await mkdtemp(join(tmpdir(), 'wirestate-share-hostile-'))));
afterEach(async () => {
  hostile?.close();
  hostile = undefined;
  await rm(here, { recursive: true, force: true });
});

/** A server that hands each connection, and its first read (the request), to `answer`. */
async function serve(answer: (socket: Socket, request: Buffer) => void): Promise<string> {
  hostile = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (request: Buffer) => answer(socket, request));
  });
  await once(hostile.listen(0, '127.0.0.1'), 'listening');
  return String((hostile.address() as AddressInfo).port);
}

const client = (port: string, ...args: string[]) => wirestate(['share', 'client', '127.0.0.1', port, ...args], here);

/** Writes `chunk` again and again while the peer takes it, until `bytes` have gone or the socket is gone. */
async function flood(socket: Socket, chunk: Buffer, bytes: number): Promise<void> {
  const gone = new Promise((closed) => socket.once('close', closed));
  for (let sent = 0; sent < bytes && !socket.destroyed; sent += chunk.length)
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain').catch(() => undefined), gone]);
  socket.end();
}

const ANSWERED_AFTER_PASS =
  'wirestate share client: the other side broke the protocol: the server answered after pass\n';

describe('put: bytes from the server after pass are a protocol error, exit 5, said at once', () => {
  beforeEach(() => writeFile(join(here, 'up.bin'), randomBytes(1000)));

  it('"passXX", then the server closes', async () => {
    const port = await serve((socket) => socket.end('passXX'));
    expect(await client(port, 'put', 'x', '-i', 'up.bin')).toMatchObject({
      code: EXIT.interrupted,
      stderr: ANSWERED_AFTER_PASS,
    });
  });

  it('"passXX", the server staying open (also with --idle-timeout)', async () => {
    const port = await serve((socket) => socket.write('passXX'));
    expect(await client(port, 'put', 'x', '-i', 'up.bin', '--idle-timeout', '3')).toMatchObject({
      code: EXIT.interrupted,
      stderr: ANSWERED_AFTER_PASS,
    });
  });

  it('one byte once the upload has begun, the server reading on', async () => {
    await writeFile(join(here, 'big.bin'), randomBytes(8 * 1024 * 1024));
    const port = await serve((socket) => {
      socket.write('pass');
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        if (received < 65536 && received + chunk.length >= 65536) socket.write('X');
        received += chunk.length;
      });
    });
    expect(await client(port, 'put', 'x', '-i', 'big.bin')).toMatchObject({
      code: EXIT.interrupted,
      stderr: ANSWERED_AFTER_PASS,
    });
  });
});

describe('get --max-size', () => {
  it('a server sending without end after pass: past --max-size nothing is kept, exit 7, the limit said', async () => {
    const port = await serve((socket) => {
      socket.write('pass');
      void flood(socket, Buffer.alloc(65536, 'A'), 256 * 1024 * 1024);
    });
    expect(await client(port, 'get', 'x', '--max-size', '1048576')).toMatchObject({
      code: EXIT.localFile,
      stderr: 'wirestate share client: get x: the server sent more than --max-size 1048576 B; nothing kept\n',
    });
    expect(await readdir(here)).toEqual([]);
  });

  it('a file of exactly --max-size bytes is kept whole, exit 0', async () => {
    const file = randomBytes(65536);
    const port = await serve((socket) => socket.end(Buffer.concat([Buffer.from('pass'), file])));
    expect(await client(port, 'get', 'x', '--max-size', '65536')).toMatchObject({ code: EXIT.ok });
    expect(await readdir(here)).toEqual(['x']);
  });

  it('--max-size takes a whole number of bytes', async () => {
    const result = await client('3650', 'get', 'x', '--max-size', '1.5');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--max-size');
  });
});
