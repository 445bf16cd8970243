/**
 * A server that agrees `resume` and then says to start a download's DATA past the bytes the client keeps
 * (or past the file's end) breaks the protocol: the client says so (exit 5) before it confirms, rather than
 * confirming and failing later on a file with a hole.
 */
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMPLEMENTED, encodeHello, encodeHelloReply } from '../../machines/transfer/extension-frames';
import { RESUME_REQUEST_SIZE, encodeResumeReply } from '../../machines/transfer/resume-frames';
import { EXIT } from '../engine/exit-codes';
import { wirestate } from '../test-support/processes';

let base: string;
let liar: Server;
beforeEach(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-resume-lies-'))));
afterEach(async () => {
  liar.close();
  await rm(base, { recursive: true, force: true });
});

/** Answers the hello (agreeing all) and then the `r` request with `start`, for a file of `size` bytes. */
async function lyingServer(size: number, start: number): Promise<number> {
  const hello = encodeHello(IMPLEMENTED).length;
  liar = createServer((socket) => {
    socket.on('error', () => undefined);
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      const before = received;
      received += chunk.length;
      if (before < hello && received >= hello)
        socket.write(
          encodeHelloReply({ version: 1, capabilities: IMPLEMENTED, maxUploadSize: 1e9, keepPartialSeconds: 600 }),
        );
      if (before < hello + RESUME_REQUEST_SIZE && received >= hello + RESUME_REQUEST_SIZE)
        socket.write(encodeResumeReply(size, 1_700_000_000_000, start));
    });
  }).listen(0, '127.0.0.1');
  await once(liar, 'listening');
  return (liar.address() as AddressInfo).port;
}

it.each([
  [10, 20, 'the server said to resume at byte 20 of 10 B, past the 0 B kept here'],
  [100, 20, 'the server said to resume at byte 20 of 100 B, past the 0 B kept here'],
])('a file of %i B resumed at byte %i: exit 5, nothing written', async (size, start, words) => {
  const port = await lyingServer(size, start);
  const result = await wirestate(['client', '-s', `127.0.0.1:${port}`, '-v', 'f.bin', '-l', join(base, 'f.bin')]);
  expect(result.code).toBe(EXIT.interrupted);
  expect(result.stderr).toContain(words);
  expect(await readdir(base)).toEqual([]);
});
