/**
 * End to end over real loopback sockets and real folders: an in-process
 * server, the compiled client as a separate process.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeUploadSize } from '../../machines/transfer/frames';
import { EXIT } from '../engine/exit-codes';
import { sha256, wirestate } from '../test-support/processes';
import { NOTHING_LEFT, leftovers } from '../test-support/leftovers';
import { startTestServer, type TestServer } from '../test-support/servers';

let t: TestServer;
let local: string;
beforeEach(async () => {
  t = await startTestServer();
  local = join(t.base, 'local');
  await mkdir(local);
});
afterEach(async () => {
  // The clean-up invariant, after every test here whatever happened in it.
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  await t.stop();
});

const client = (...args: string[]) => wirestate(['client', '-s', `127.0.0.1:${t.port}`, ...args], local);

/** Opens a raw connection and sends `bytes`, leaving it open. The server may reset it: that is expected. */
function rawConnection(port: number, ...bytes: Buffer[]): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.on('error', () => undefined);
      for (const chunk of bytes) socket.write(chunk);
      resolve(socket);
    });
  });
}

/** Waits until `socket` has received `count` bytes. */
function received(socket: Socket, count: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < count) return;
      socket.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', onData);
  });
}

describe('round trips', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['1 MiB', 1024 * 1024],
    ['64 MiB', 64 * 1024 * 1024],
  ])('a %s file goes up and comes back identical', async (_label, size) => {
    const original = join(local, 'original.bin');
    await writeFile(original, randomBytes(size));

    const up = await client('-m', 'upload', '-l', 'original.bin', '-v', 'stored.bin');
    expect(up).toMatchObject({ code: EXIT.ok });
    expect(await t.nextOutcome()).toMatchObject({ ok: true, outcome: 'uploaded', bytes: size });

    const down = await client('-m', 'download', '-v', 'stored.bin', '-l', 'back.bin');
    expect(down).toMatchObject({ code: EXIT.ok });
    expect(await t.nextOutcome()).toMatchObject({ ok: true, outcome: 'downloaded', bytes: size });

    const expected = await sha256(original);
    expect(await sha256(join(t.files.root, 'stored.bin'))).toBe(expected);
    expect(await sha256(join(local, 'back.bin'))).toBe(expected);
    expect((await readdir(local)).sort()).toEqual(['back.bin', 'original.bin']);
  });
});

describe('refusals, each with its exit code', () => {
  it('F for a missing file: exit 3, and an existing local file is left alone', async () => {
    await writeFile(join(local, 'keep.txt'), 'precious');
    const result = await client('-v', 'missing.txt', '-l', 'keep.txt');
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toMatch(/refused/);
    expect(await readFile(join(local, 'keep.txt'), 'utf8')).toBe('precious');
    expect(await readdir(local)).toEqual(['keep.txt']);
  });

  it('F for an upload over an existing name: exit 3, the server copy unchanged', async () => {
    await writeFile(join(t.files.root, 'taken.txt'), 'server copy');
    await writeFile(join(local, 'mine.txt'), 'client copy');
    const result = await client('-m', 'upload', '-l', 'mine.txt', '-v', 'taken.txt');
    expect(result.code).toBe(EXIT.refused);
    expect(await t.nextOutcome()).toMatchObject({ outcome: 'refused', detail: 'a file of that name exists' });
    expect(await readFile(join(t.files.root, 'taken.txt'), 'utf8')).toBe('server copy');
  });

  it('F for a name another connection is uploading (busy): exit 3', async () => {
    const holder = await rawConnection(t.port, encodeRequest(OP.upload, 'busy.bin'), encodeUploadSize(1000));
    expect(await received(holder, 2)).toEqual(Buffer.from('TT'));
    await writeFile(join(local, 'other.bin'), 'x');
    expect((await client('-m', 'upload', '-l', 'other.bin', '-v', 'busy.bin')).code).toBe(EXIT.refused);
    expect(await t.nextOutcome()).toMatchObject({
      outcome: 'refused',
      detail: 'another connection is using that name',
    });
    holder.destroy();
  });

  it('E for names that would leave the root: exit 4, nothing outside touched', async () => {
    await writeFile(join(t.base, 'canary.txt'), 'canary');
    await writeFile(join(local, 'evil.txt'), 'overwrite attempt');
    expect((await client('-v', '../canary.txt', '-l', 'got.txt')).code).toBe(EXIT.serverError);
    expect((await client('-m', 'upload', '-l', 'evil.txt', '-v', '../canary.txt')).code).toBe(EXIT.serverError);
    expect((await client('-v', '/etc/passwd', '-l', 'got.txt')).code).toBe(EXIT.serverError);
    expect(await readFile(join(t.base, 'canary.txt'), 'utf8')).toBe('canary');
    expect(await readdir(local)).toEqual(['evil.txt']);
  });

  it('a client that declines with F ends the download as cancelled', async () => {
    await writeFile(join(t.files.root, 'file.txt'), 'abc');
    const socket = await rawConnection(t.port, encodeRequest(OP.download, 'file.txt'));
    expect(await received(socket, 9)).toEqual(encodeDownloadReply(STATUS.yes, 3));
    socket.write('F');
    expect(await t.nextOutcome()).toMatchObject({ outcome: 'cancelled', bytes: 0 });
    socket.destroy();
  });
});

describe('interrupted transfers', () => {
  it('an upload cut off mid-way leaves no file, no temporary file, and frees the name', async () => {
    const socket = await rawConnection(t.port, encodeRequest(OP.upload, 'cut.bin'), encodeUploadSize(100_000));
    await received(socket, 2);
    socket.write(Buffer.alloc(5000));
    socket.destroy();
    expect(await t.nextOutcome()).toMatchObject({ ok: false, outcome: 'interrupted' });
    expect(await readdir(t.files.root)).toEqual([]);
    expect(t.files.holds.size).toBe(0);

    await writeFile(join(local, 'cut.bin'), 'whole');
    expect((await client('-m', 'upload', '-l', 'cut.bin', '-v', 'cut.bin')).code).toBe(EXIT.ok);
  });

  it('a download cut off by the server exits 5 and keeps the previous local file', async () => {
    const liar: Server = createServer((socket) =>
      socket
        .on('error', () => undefined)
        .once('data', () => {
          socket.write(encodeDownloadReply(STATUS.yes, 1000));
          socket.once('data', () => socket.end(Buffer.alloc(10)));
        }),
    );
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const port = (liar.address() as { port: number }).port;
    await writeFile(join(local, 'old.txt'), 'previous version');
    const result = await wirestate(['client', '-s', `127.0.0.1:${port}`, '-v', 'x', '-l', 'old.txt'], local);
    liar.close();
    expect(result.code).toBe(EXIT.interrupted);
    expect(await readFile(join(local, 'old.txt'), 'utf8')).toBe('previous version');
    expect(await readdir(local)).toEqual(['old.txt']);
  });
});

describe('client problems before any transfer', () => {
  it('cannot connect: exit 6 with the reason', async () => {
    const result = await wirestate(['client', '-s', '127.0.0.1:1', '-v', 'x', '-l', 'y'], local);
    expect(result.code).toBe(EXIT.cannotConnect);
    expect(result.stderr).toMatch(
      /cannot connect to 127\.0\.0\.1:1: connection refused \(nothing listens there\) \(ECONNREFUSED\)/,
    );
  });

  it('a local file to upload that does not exist: exit 7, nothing sent', async () => {
    const result = await client('-m', 'upload', '-l', 'absent.txt', '-v', 'x');
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toMatch(/absent\.txt: no such file or folder \(ENOENT\)/);
  });
});
