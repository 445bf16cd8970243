/**
 * `wirestate ardei client` against fake servers on 127.0.0.2 that lie: more bytes than asked for, a file
 * announced under another name, a size no disk holds or that is no number. The client keeps nothing it did
 * not ask for.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { CLI, type Finished } from '../../src/test-support/processes';
import { SERVER_KEY } from './advanced-codec';

const HOST = '127.0.0.2';

let folder: string;
let server: Server;
beforeEach(async () => (folder = await mkdtemp(join(tmpdir(), 'lying-'))));
afterEach(async () => {
  server?.close();
  await rm(folder, { recursive: true, force: true });
});

/** A server that answers each connection with `answer` once the client has sent something. */
async function fake(answer: (socket: Socket) => void): Promise<number> {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => answer(socket));
  }).listen(0, HOST);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** The client run in `folder`, `typed` on its stdin; killed after 20 s. */
function client(args: string[], typed = ''): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, 'ardei', 'client', '--host', HOST, ...args], {
    cwd: folder,
    timeout: 20_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(typed);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

it('TCP: a file with more bytes than asked for is a protocol error (exit 4)', async () => {
  const port = await fake((socket) => socket.end(Buffer.concat([Buffer.from('file_prepared'), Buffer.alloc(15, 'A')])));
  const result = await client(['--port', String(port), '10']);
  expect(result.code).toBe(EXIT.serverError);
  expect(result.stderr).toContain('the server sent 5 bytes more than asked');
});

it('TCP: stops at the first read past the file asked for, the server holding its side open: exit 4 at once', async () => {
  const port = await fake((socket) =>
    socket.write(Buffer.concat([Buffer.from('file_prepared'), Buffer.alloc(6, 'A')])),
  );
  const result = await client(['--port', String(port), '5']);
  expect(result.code).toBe(EXIT.serverError);
  expect(result.stdout).toMatch(/^file of 5 chars: received 6 of 5 bytes, 0 lost \(0\.0%\), 1 more than asked, /);
  expect(result.stderr).toBe('wirestate ardei client: protocol_error: the server sent 1 bytes more than asked\n');
});

it('TCP: a server sending without end after the file asked for is cut off, not read to its end (exit 4)', async () => {
  const BOUND = 256 * 1024 * 1024;
  let sent = 0;
  let cut: () => void;
  const stopped = new Promise<void>((resolve) => (cut = resolve));
  const port = await fake((socket) => {
    socket.on('close', () => cut());
    void (async () => {
      socket.write('file_prepared');
      const chunk = Buffer.alloc(65536, 'A');
      while (sent < BOUND && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) await Promise.race([once(socket, 'drain').catch(() => undefined), stopped]);
      }
      socket.end();
    })();
  });
  const result = await client(['--port', String(port), '5']);
  await stopped;
  expect(result.code).toBe(EXIT.serverError);
  expect(result.stderr).toMatch(
    /^wirestate ardei client: protocol_error: the server sent \d+ bytes more than asked\n$/,
  );
  expect(sent).toBeLessThan(BOUND);
});

it("TCP: prints a server's reply with its control characters shown, not obeyed by the terminal", async () => {
  const port = await fake((socket) => socket.end('\x1b]0;pwn\x07\x1b[2K\rFAKE\n'));
  const result = await client(['--port', String(port), '--', 'hello']);
  expect(result.stdout).toContain('\\x1b]0;pwn\\x07\\x1b[2K\\x0dFAKE');
  expect(result.stdout).not.toContain('\x1b');
});

describe('advanced', () => {
  /**
   * Sends its key at once, then on the client's `dl report.pdf`, `reply`, and `later` `laterMs` after it
   * (or with its close); on `quit`, closes once `later` is sent.
   */
  async function advanced(reply: Buffer, later?: { bytes: Buffer; ms: number | 'at close' }): Promise<number> {
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write(SERVER_KEY);
      let seen = '';
      let laterSent = later === undefined || later.ms === 'at close' ? Promise.resolve() : undefined;
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('dl report.pdf929Z') && !seen.includes('quit')) {
          socket.write(reply);
          if (later && later.ms !== 'at close') {
            const ms = later.ms;
            laterSent = new Promise((sent) => setTimeout(() => socket.write(later.bytes, () => sent()), ms));
          }
        }
        if (seen.includes('quit'))
          void laterSent!.then(() => socket.end(later?.ms === 'at close' ? later.bytes : Buffer.alloc(0)));
      });
    }).listen(0, HOST);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  it("prints a server's answer with its control characters shown, its lines as they are", async () => {
    const port = await advanced(Buffer.from('\x1b[2JNo such file\nhere\x9b2J929Z'));
    const result = await client(['--advanced', '--port', String(port)], 'dl report.pdf\n');
    expect(result.stdout).toContain('\\x1b[2JNo such file\nhere\\x9b2J');
    expect(result.stdout).not.toMatch(/[\x1b\x9b]/);
  });

  it('saves a dl under the name asked for, never the name the server announces', async () => {
    const port = await advanced(Buffer.from('Sending .bashrc size: SpLiT5929Zhello'));
    const result = await client(['--advanced', '--port', String(port)], 'dl report.pdf\n');
    expect(result.code).toBe(EXIT.ok);
    expect(await readdir(folder)).toEqual(['report.pdf']);
  });

  // Any run of digits is one path (announcedSize, then the free-space check): the longest size always taken
  // (16 digits), the shortest once read as a text reply (17), and one far past any disk.
  it.each(['9999999999999999', '10000000000000000', '100000000000000000000000'])(
    'refuses an announced size that does not fit before writing anything (exit 7): %s',
    async (size) => {
      const port = await advanced(Buffer.from(`Sending report.pdf size: SpLiT${size}929Zhello`));
      const result = await client(['--advanced', '--port', String(port)], 'dl report.pdf\n');
      expect(result.code).toBe(EXIT.localFile);
      expect(result.stderr).toContain(`not enough free space for ${size} bytes`);
      expect(await readdir(folder)).toEqual([]);
    },
  );

  it('takes bytes past the announced size, before the next command, as a protocol error and keeps no file (exit 4)', async () => {
    const port = await advanced(
      Buffer.from('Sending report.pdf size: SpLiT5929ZhelloEXTRA-LISTING-FROM-NOWHERE\n929Z'),
    );
    const result = await client(['--advanced', '--port', String(port)], 'dl report.pdf\nls\n');
    expect(result.code).toBe(EXIT.serverError);
    expect(result.stderr).toContain('the server sent 31 bytes past the announced size');
    expect(result.stdout).not.toContain('EXTRA-LISTING');
    expect(await readdir(folder)).toEqual([]);
  });

  const header = Buffer.from('Sending report.pdf size: SpLiT5929Z');
  it.each([
    ['in the same write', Buffer.from('AAAAAB'), undefined],
    ['50 ms later', Buffer.from('AAAAA'), 50],
    ['1 s later', Buffer.from('AAAAA'), 1000],
    ['with its close', Buffer.from('AAAAA'), 'at close' as const],
  ])(
    'takes a byte past the announced size without a 929Z, %s, as a protocol error and keeps no file (exit 4)',
    async (_when, file, ms) => {
      const port = await advanced(
        Buffer.concat([header, file]),
        ms === undefined ? undefined : { bytes: Buffer.from('B'), ms },
      );
      const result = await client(['--advanced', '--port', String(port)], 'dl report.pdf\n');
      expect(result.code).toBe(EXIT.serverError);
      expect(result.stderr).toContain('the server sent 1 byte past the announced size of report.pdf');
      // Whether `Saved` came first or not, stdout never leaves the file standing.
      if (result.stdout.includes('Saved report.pdf')) expect(result.stdout).toContain('Removed report.pdf');
      expect(await readdir(folder)).toEqual([]);
    },
  );

  it('fails at once when the server closes mid-download: reply cut short (exit 5), no file', async () => {
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write(SERVER_KEY);
      socket.on(
        'data',
        (chunk: Buffer) =>
          chunk.includes('dl report.pdf929Z') && socket.end(Buffer.concat([header, Buffer.from('AAA')])),
      );
    }).listen(0, HOST);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // An idle timeout past the 20 s the client is given: only a close taken at once ends it in time.
    const result = await client(['--advanced', '--port', String(port), '--idle-timeout', '60'], 'dl report.pdf\n');
    expect(result.code).toBe(EXIT.interrupted);
    expect(result.stderr).toContain('reply cut short: the server closed after 3 of 5 bytes of report.pdf');
    expect(await readdir(folder)).toEqual([]);
  });

  // Every malformed size fails one guard (isMalformedSize; advanced.test.ts reads each kind): here one that
  // Number() would take and an empty one, each through a real client process.
  it.each(['1e3', ''])(
    'takes an announced size that is no whole number (%j) as a protocol error at once (exit 4)',
    async (size) => {
      const port = await advanced(Buffer.from(`Sending report.pdf size: SpLiT${size}929ZAAAAA`));
      const result = await client(['--advanced', '--port', String(port), '--idle-timeout', '5'], 'dl report.pdf\n');
      expect(result.code).toBe(EXIT.serverError);
      expect(result.stderr).toContain(`the server announced a size that is no whole number: ${JSON.stringify(size)}`);
      expect(await readdir(folder)).toEqual([]);
    },
  );

  it('takes bytes that come before any command as a protocol error (exit 4)', async () => {
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write(Buffer.concat([SERVER_KEY, Buffer.from('X')]));
      socket.on('data', (chunk: Buffer) => chunk.includes('quit') && socket.end());
    }).listen(0, HOST);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const result = await client(['--advanced', '--port', String(port), '--idle-timeout', '5'], 'ls\n');
    expect(result.code).toBe(EXIT.serverError);
    expect(result.stderr).toContain('the server sent 1 byte that no command asked for');
  });
});
