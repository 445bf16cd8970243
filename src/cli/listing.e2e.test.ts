/**
 * `wirestate client --list` against a real server process over loopback: the served folder's files a
 * download would find (names with spaces and UTF-8; no part file, no name with white space at an end, no symlink out of the root, no
 * subfolder), as a table and as `--json`; an empty folder; a `--read-only` server; a server that did not
 * agree `list` (exit 10); and hostile clients that send `l` where it does not belong (a reset).
 */
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  CAPABILITY,
  EXTENSION_VERSION,
  IMPLEMENTED,
  encodeHello,
  encodeHelloReply,
} from '../../machines/transfer/extension-frames';
import { OP, encodeRequest } from '../../machines/transfer/frames';
import {
  LISTING_LIMIT,
  encodeListEntry,
  encodeListRequest,
  encodePlainFarewell,
} from '../../machines/transfer/list-frames';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate, type Finished, type ServerProcess } from '../test-support/processes';
import { raw } from '../test-support/raw-client';
import { startTestServer } from '../test-support/servers';

/** 2023-11-14 22:13:20 UTC, and one day later: fixed times, so the table is known to the byte. */
const TIME_S = 1_700_000_000;
const LATER_S = TIME_S + 86_400;

let base: string;
let root: string;
let server: ServerProcess;
/** The server's listing as a table, listed once (its first connection) and compared against by the tests below. */
let table: Finished;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-listing-'));
  root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'with space.txt'), 'hello\n');
  await writeFile(join(root, 'ünïcødé ✓.txt'), Buffer.alloc(3 * 1024 * 1024));
  await writeFile(join(root, 'empty'), '');
  // Names a request cannot carry (its decoding trims ASCII white space): never listed.
  await writeFile(join(root, ' lead'), 'leading space\n');
  await writeFile(join(root, 'trail\t'), 'trailing tab\n');
  await writeFile(join(root, 'sub', 'inner.txt'), 'not at the top\n');
  await writeFile(join(base, 'outside.txt'), 'secret\n');
  await symlink(join(base, 'outside.txt'), join(root, 'escape'));
  await symlink('with space.txt', join(root, 'alias'));
  for (const name of ['with space.txt', 'ünïcødé ✓.txt', 'empty', 'alias'])
    await utimes(join(root, name), TIME_S, name === 'empty' ? LATER_S : TIME_S);
  server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', root]);
  // After the start, whose sweep would remove it: a part file of a live upload (this process's id).
  await writeFile(join(root, `.upload.bin.${process.pid}-0123456789ab.wirestate-part`), 'partial');
  table = await list(server.port);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

const list = (port: number, ...flags: string[]) => wirestate(['client', '-s', `127.0.0.1:${port}`, '--list', ...flags]);

it('prints the files a download would find, sorted, in aligned columns; nothing else shows', () => {
  const result = table;
  expect(result.stdout).toBe(
    [
      '     6 B  2023-11-14 22:13:20Z  alias',
      '     0 B  2023-11-15 22:13:20Z  empty',
      '     6 B  2023-11-14 22:13:20Z  with space.txt',
      '3.00 MiB  2023-11-14 22:13:20Z  ünïcødé ✓.txt',
      '',
    ].join('\n'),
  );
  expect(result.stderr).toBe(`4 files on 127.0.0.1:${server.port}\n`);
  expect(result.code).toBe(EXIT.ok);
});

it('--json: one object whose files hold the names, sizes and times in ms', async () => {
  const result = await list(server.port, '--json');
  expect(result.code).toBe(EXIT.ok);
  expect(result.stderr).toBe('');
  const object = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(object).toMatchObject({ ok: true, operation: 'list', outcome: 'listed', code: 'ok', exit_code: 0 });
  expect(object.files).toEqual([
    { name: 'alias', size: 6, mtime_ms: TIME_S * 1000 },
    { name: 'empty', size: 0, mtime_ms: LATER_S * 1000 },
    { name: 'with space.txt', size: 6, mtime_ms: TIME_S * 1000 },
    { name: 'ünïcødé ✓.txt', size: 3 * 1024 * 1024, mtime_ms: TIME_S * 1000 },
  ]);
  expect(object.output).toBe(table.stdout);
  // `bytes` counts what the server's log line counts for the same connection (the second here).
  await server.logged(/\[c2\] listed: \d+ B in/);
  expect(/\[c2\] listed: (\d+) B in/.exec(server.output())![1]).toBe(String(object.bytes));
});

it('an empty folder lists nothing, exit 0; a --read-only server lists too', async () => {
  const empty = join(base, 'empty-root');
  await mkdir(empty);
  const emptyServer = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', empty]);
  const readOnly = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', root, '--read-only']);
  try {
    expect(await list(emptyServer.port)).toMatchObject({
      code: EXIT.ok,
      stdout: '',
      stderr: `0 files on 127.0.0.1:${emptyServer.port}\n`,
    });
    expect(JSON.parse((await list(emptyServer.port, '--json')).stdout)).toMatchObject({ ok: true, files: [] });
    expect((await list(readOnly.port)).stdout).toBe(table.stdout);
  } finally {
    for (const running of [emptyServer, readOnly]) running.child.kill('SIGTERM');
    await Promise.all([emptyServer.exited, readOnly.exited]);
  }
});

it('a wirestate server that did not agree list: "this server cannot list", exit 10, at once', async () => {
  const older = await startTestServer({ capabilities: CAPABILITY.stored | CAPABILITY.sha256 });
  try {
    const result = await list(older.port);
    expect(result).toMatchObject({
      code: EXIT.cannotList,
      stdout: '',
      stderr: 'wirestate client: this server cannot list: the server did not agree list in its hello reply\n',
    });
    const json = JSON.parse((await list(older.port, '--json')).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: false, outcome: 'cannot_list', code: 'peer.cannot_list', exit_code: 10 });
    expect(json).not.toHaveProperty('files');
  } finally {
    await older.stop();
  }
});

/**
 * A hostile server that agrees list in its hello reply, then sends `listing` (LIST_CHUNKs, from the `t` on)
 * and closes; `listing` may write as long as the socket is open. Returns what `list` against it gave.
 */
async function listFromServerSending(listing: (socket: Socket) => Promise<void>) {
  const hostile = createServer((socket) => {
    socket.on('error', () => undefined);
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      const before = received;
      received += chunk.length;
      const reply = { version: EXTENSION_VERSION, capabilities: IMPLEMENTED, maxUploadSize: 0, keepPartialSeconds: 0 };
      if (before < 256 && received >= 256) socket.write(encodeHelloReply(reply));
      if (before < 512 && received >= 512) void listing(socket).then(() => socket.end(Buffer.alloc(4)));
    });
  });
  await once(hostile.listen(0, '127.0.0.1'), 'listening');
  try {
    return await list((hostile.address() as AddressInfo).port);
  } finally {
    hostile.close();
  }
}

/** One LIST_CHUNK holding `entries`. */
const chunkOf = (entries: Buffer) => {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(entries.length);
  return Buffer.concat([header, entries]);
};

it('a server whose listing goes on past the limit: the client stops keeping it, a protocol error, exit 5', async () => {
  // 8 MiB chunks of one long-named entry, up to 24 MiB past the limit.
  const entry = encodeListEntry({ name: 'x'.repeat(255), size: 1, mtimeMs: 0 });
  const chunk = chunkOf(
    Buffer.concat(Array.from({ length: Math.floor((8 * 1024 * 1024) / entry.length) }, () => entry)),
  );
  const result = await listFromServerSending(async (socket) => {
    socket.write(Buffer.of(0x74));
    for (let sent = 0; sent < LISTING_LIMIT + 24 * 1024 * 1024 && !socket.destroyed; sent += chunk.length)
      if (!socket.write(chunk)) await once(socket, 'drain').catch(() => undefined);
  });
  expect(result).toMatchObject({
    code: EXIT.interrupted,
    stdout: '',
    stderr:
      'wirestate client: the other side broke the protocol: a listing of more than 128 MiB, more than a client keeps\n',
  });
});

it.each([
  ['an entry cut short', Buffer.from('056162', 'hex'), 'a listing entry at byte 0 is cut short'],
  ['an entry with no name', Buffer.alloc(17), 'a listing entry at byte 0 has no name'],
  [
    'more than a million files',
    Buffer.concat(Array.from({ length: 1_000_001 }, () => encodeListEntry({ name: 'x', size: 1, mtimeMs: 0 }))),
    'a listing of more than 1,000,000 files, more than a client keeps',
  ],
])('a listing holding %s: a protocol error in one line, exit 5, nothing on stdout', async (_case, entries, words) => {
  const result = await listFromServerSending(
    async (socket) => void socket.write(Buffer.concat([Buffer.of(0x74), chunkOf(entries)])),
  );
  expect(result).toMatchObject({
    code: EXIT.interrupted,
    stdout: '',
    stderr: `wirestate client: the other side broke the protocol: ${words}\n`,
  });
});

it('a server silent to the hello (as the original) gets the plain farewell D of the empty name, then exit 10', async () => {
  // Reads as the original does: the hello is dropped, the next 256 bytes are a request, answered F + size 0.
  const received: Buffer[] = [];
  const silent = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (Buffer.concat(received).length === 512) socket.end(Buffer.from('460000000000000000', 'hex'));
    });
  });
  await once(silent.listen(0, '127.0.0.1'), 'listening');
  try {
    const result = await list((silent.address() as AddressInfo).port, '--hello-wait', '0.2');
    expect(result).toMatchObject({ code: EXIT.cannotList, stdout: '' });
    expect(result.stderr).toContain('this server cannot list: the server speaks only the plain protocol');
    const bytes = Buffer.concat(received);
    expect(bytes.subarray(0, 256)).toEqual(encodeHello(IMPLEMENTED));
    expect(bytes.subarray(256)).toEqual(encodePlainFarewell());
  } finally {
    silent.close();
  }
});

/** Runs `--list` with `flags` against a server that accepts and never answers; closes it and its sockets after. */
async function listFromSilentServer(...flags: string[]) {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket.on('error', () => undefined)));
  await once(silent.listen(0, '127.0.0.1'), 'listening');
  try {
    return await list((silent.address() as AddressInfo).port, ...flags);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
}
const NEITHER_ANSWERED = {
  code: EXIT.cannotList,
  stdout: '',
  stderr: 'wirestate client: this server cannot list: the server answered neither the hello nor a plain request\n',
};

it('a server that accepts and never answers: exit 10 after the hello wait and as long for the farewell, not the idle timeout', async () => {
  // Before, only the idle timeout ended the run: exit 5, "no answer from the server in time".
  expect(await listFromSilentServer('--hello-wait', '0.2', '--idle-timeout', '20')).toMatchObject(NEITHER_ANSWERED);
});

it('a server that accepts and never answers, with --idle-timeout shorter than the hello wait: still exit 10', async () => {
  // Before, the idle timeout cut the wait for the farewell's answer: exit 5, "no answer ... (--idle-timeout)".
  expect(await listFromSilentServer('--hello-wait', '0.4', '--idle-timeout', '0.2')).toMatchObject(NEITHER_ANSWERED);
});

it('--list with a file flag or --plain is refused before connecting (exit 2)', async () => {
  for (const flags of [['-v', 'a.txt'], ['-m', 'upload'], ['--plain']]) {
    const result = await list(1, ...flags);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/--list .*; see --help\n$/);
  }
});

describe('a hostile client sending l where it does not belong is cut off, a protocol violation', () => {
  const HELLO_WITH_LIST = encodeHello(CAPABILITY.stored | CAPABILITY.list);

  it.each([
    ['without a hello', [encodeListRequest()], 0, 'an extension request without a hello that agreed it'],
    [
      'after a hello that did not offer list',
      [encodeHello(CAPABILITY.stored), encodeListRequest()],
      16,
      'a list request on a connection that did not agree list',
    ],
    [
      "in place of a download's confirmation",
      [HELLO_WITH_LIST, encodeRequest(OP.download, 'with space.txt'), Buffer.of(0x6c)],
      16 + 9,
      'bad confirmation l',
    ],
  ])('%s', async (_label, bytes, replied, detail) => {
    const t = await startTestServer();
    try {
      await writeFile(join(t.files.root, 'with space.txt'), 'hello\n');
      const peer = await raw(t.port, ...bytes);
      // No reply to the `l`: what came before it, then the reset (which libuv reads as an end behind data).
      await peer.ended;
      expect((await peer.replies(0)).length).toBe(replied);
      expect(await t.nextOutcome()).toMatchObject({ outcome: 'protocol_error', code: 'protocol.violation', detail });
    } finally {
      await t.stop();
    }
  });

  it('a request sent behind the l is never read: the listing comes whole, then the close', async () => {
    const t = await startTestServer();
    try {
      await writeFile(join(t.files.root, 'a.txt'), 'a');
      const peer = await raw(t.port, HELLO_WITH_LIST, encodeListRequest(), encodeRequest(OP.download, 'a.txt'));
      await peer.ended;
      const listing = await peer.replies(0);
      // HELLO_REPLY, LIST_REPLY 't', one chunk with a.txt's entry (1 + 5 + 16 bytes), the empty chunk.
      expect(listing.length).toBe(16 + 1 + 4 + 22 + 4);
      expect(listing.subarray(16, 21)).toEqual(Buffer.from('7400000016', 'hex'));
      expect(listing.subarray(-4)).toEqual(Buffer.alloc(4));
      expect(await t.nextOutcome()).toMatchObject({ ok: true, outcome: 'listed' });
    } finally {
      await t.stop();
    }
  });
});
