/**
 * The queue over real loopback sockets, TCP and UDP, through the CLI: what the
 * client sends for a file, refusals, a restart with a store. Many clients at
 * once: src/loop/queue-clients.e2e.test.ts; the seed README's session:
 * seed-examples.e2e.test.ts; against the independent peer: queue.interop.test.ts.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { CLI, loggedAfter, run, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { sendThenReset } from '../../src/test-support/resetting-client';
import type { Transport } from '.';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'wirestate-queue-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A queue server on loopback, started once for the tests of a describe; each test leaves its queue empty. */
function sharedServer(...args: string[]): () => ServerProcess {
  let server: ServerProcess;
  beforeAll(async () => (server = await startCliServer(['queue', 'server', '0', ...args, '--host', '127.0.0.1'])));
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  return () => server;
}

describe.each(['TCP', 'UDP'])('over %s', (socktype) => {
  const transport = socktype.toLowerCase() as Transport;
  const clientOf =
    (server: () => ServerProcess) =>
    (...args: string[]) =>
      wirestate(['queue', 'client', '127.0.0.1', String(server().port), socktype, ...args], dir);

  describe('a plain server', () => {
    const server = sharedServer(socktype);
    const client = clientOf(server);

    it('sends an empty file as the one byte the original client sends, and it is queued', async () => {
      await writeFile(join(dir, 'empty.txt'), '');
      expect(await client('send', 'empty.txt')).toMatchObject({
        code: EXIT.ok,
        stderr: expect.stringMatching(/^Sent: 0 bytes\n/),
      });
      expect(await client('receive')).toMatchObject({ code: EXIT.ok, stdout: '\n', stderr: 'Received: 1 bytes\n' });
    });

    it("sends a file's text as the original client does: CRLF and CR become LF, one newline appended", async () => {
      await writeFile(join(dir, 'lines.txt'), 'ação\r\ntwo\rthree 🚀');
      expect((await client('send', 'lines.txt')).stderr).toMatch(/^Sent: 16 bytes\n/);
      expect((await client('receive')).stdout).toBe('ação\ntwo\nthree 🚀\n');
    });

    it(`says whether a sent message was acknowledged (${socktype})`, async () => {
      await writeFile(join(dir, 'm.txt'), 'hello');
      const { stderr } = await client('send', 'm.txt');
      if (transport === 'udp')
        expect(stderr).toBe(
          'Sent: 5 bytes\n(UDP has no acknowledgement: the datagram left, but the server may not have kept it)\n',
        );
      // TCP, by default: the seed's exchange, where a clean close means kept; no offer, no wait.
      else expect(stderr).toBe('Sent: 5 bytes\n');
      expect((await client('receive')).stdout).toBe('hello\n');
    });

    // The refusals below are the client's own, decided before it opens a socket, and the words for a message taken
    // but not written come after the session, whatever the transport: TCP runs them (UDP took the same code path).
    if (transport === 'tcp') {
      it('takes - as standard input for send and standard output for receive', async () => {
        const piped = await run('sh', [
          '-c',
          `printf 'from a pipe' | "${process.execPath}" "${CLI}" queue client 127.0.0.1 ${server().port} ${socktype} send -`,
        ]);
        expect(piped).toMatchObject({ code: EXIT.ok, stderr: expect.stringMatching(/^Sent: 11 bytes\n/) });
        expect(await client('receive', '-')).toMatchObject({ code: EXIT.ok, stdout: 'from a pipe\n' });
      });

      it('leaves the message in the queue when the file to receive into cannot be written', async () => {
        await writeFile(join(dir, 'm.txt'), 'keep me');
        expect((await client('send', 'm.txt')).code).toBe(EXIT.ok);
        expect(await client('receive', join(dir, 'no-such-folder', 'out.txt'))).toMatchObject({
          code: EXIT.localFile,
          stderr: expect.stringContaining('nothing was taken from the queue'),
        });
        expect(await client('receive', dir)).toMatchObject({
          code: EXIT.localFile,
          stderr: expect.stringContaining('is a folder: name a file to write into; nothing was taken from the queue'),
        });
        expect(await client('receive', 'out.txt')).toMatchObject({ code: EXIT.ok });
        expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('keep me\n');
        expect((await readdir(dir)).sort()).toEqual(['m.txt', 'out.txt']);
      });

      it('says plainly that a message taken but not written is lost: its size and the cause (FILE, stdout)', async () => {
        await writeFile(join(dir, 'm.txt'), 'keep me');
        for (const _ of [1, 2]) expect((await client('send', 'm.txt')).code).toBe(EXIT.ok);
        const lost = (where: string) =>
          `wirestate queue client: took a message of 8 bytes from the queue but cannot write it to ${where}: ` +
          'no space left on the device (ENOSPC); the message is lost: it is no longer in the queue\n';
        expect(await client('receive', '/dev/full')).toEqual({
          code: EXIT.localFile,
          stdout: '',
          stderr: lost('/dev/full'),
        });
        const toFullStdout = `"${process.execPath}" "${CLI}" queue client 127.0.0.1 ${server().port} ${socktype} receive`;
        expect(await run('sh', ['-c', `${toFullStdout} > /dev/full`])).toEqual({
          code: EXIT.localFile,
          stdout: '',
          stderr: lost('standard output'),
        });
        // Both were taken, as the lines say.
        expect((await client('receive')).code).toBe(EXIT.refused);
      });

      it("says it in --log-format json's end line and --json's object too: received, not ok, file.unwritable", async () => {
        await writeFile(join(dir, 'm.txt'), 'keep me');
        expect((await client('send', 'm.txt')).code).toBe(EXIT.ok);
        const lost = await client('receive', '/dev/full', '--log-format', 'json', '--json');
        expect(lost.code).toBe(EXIT.localFile);
        const end = JSON.parse(lost.stderr.trimEnd().split('\n').at(-1) ?? '');
        expect(end).toMatchObject({ event: 'end', outcome: 'received', code: 'file.unwritable', exit_code: 7 });
        expect(JSON.parse(lost.stdout)).toMatchObject({ ok: false, outcome: 'received', code: 'file.unwritable' });
      });

      it('refuses a file that is not UTF-8 text before sending anything (exit 7)', async () => {
        await writeFile(join(dir, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x00]));
        expect(await client('send', 'binary.bin')).toMatchObject({
          code: EXIT.localFile,
          stderr: expect.stringContaining('not UTF-8 text'),
        });
        expect((await client('receive')).code).toBe(EXIT.refused);
      });

      it('refuses to send a text that begins with <<GET>>, which would take the oldest message', async () => {
        await writeFile(join(dir, 'victim.txt'), 'victim message');
        await writeFile(join(dir, 'get.txt'), '<<GET>> is how you ask');
        expect((await client('send', 'victim.txt')).code).toBe(EXIT.ok);
        expect(await client('send', 'get.txt')).toMatchObject({
          code: EXIT.localFile,
          stderr: expect.stringContaining(
            'get.txt begins with <<GET>>, which the server takes for a receive: sent, it would take the oldest message instead of adding one; nothing was sent',
          ),
        });
        expect(await client('receive', 'out.txt')).toMatchObject({ code: EXIT.ok });
        expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('victim message\n');
      });

      it('queues nothing from a TCP sender that resets in the middle of its message (SO_LINGER 0)', async () => {
        const before = server().output().length;
        await sendThenReset(server().port, 'partial', 100_000, false);
        await loggedAfter(server(), before, /interrupted|stored/);
        expect(await client('receive')).toMatchObject({ code: EXIT.refused, stdout: '' });
      });

      it('keeps the message a receiver asked for and reset before it was written (SO_LINGER 0 right after <<GET>>)', async () => {
        // The reset follows the GET by microseconds, but a busy machine can let the server write first: that
        // receiver had the message (by design), so only rounds where the reset came first are counted.
        let resetFirst = 0;
        for (let round = 0; round < 5; round++) {
          await writeFile(join(dir, 'kept.txt'), `kept ${round}`);
          expect(await client('send', 'kept.txt')).toMatchObject({ code: EXIT.ok });
          const before = server().output().length;
          await sendThenReset(server().port, '<<GET>>', 0, false);
          await loggedAfter(server(), before, /interrupted|delivered/);
          if (!server().output().slice(before).includes('the client was gone before the message was written')) continue;
          resetFirst++;
          expect(server().output().slice(before)).toContain('it stays in the queue');
          expect(await client('receive')).toMatchObject({ code: EXIT.ok, stdout: `kept ${round}\n` });
        }
        expect(resetFirst).toBeGreaterThan(0);
      });
    } else
      it('says plainly that a message too large for one UDP datagram must go over TCP (exit 7)', async () => {
        await writeFile(join(dir, 'big.txt'), 'a'.repeat(70_000));
        expect(await client('send', 'big.txt')).toMatchObject({
          code: EXIT.localFile,
          stderr: expect.stringContaining('more than one UDP datagram holds (65507): send it over TCP'),
        });
      });
  });

  if (transport === 'tcp')
    describe('a server with --offer-confirmation', () => {
      const client = clientOf(sharedServer('TCP', '--offer-confirmation'));
      it('says the server confirmed it when both opt in (--offer-confirmation, --confirm)', async () => {
        await writeFile(join(dir, 'm.txt'), 'hello');
        expect((await client('send', 'm.txt', '--confirm')).stderr).toBe(
          'Sent: 5 bytes\nstored: the server confirmed it\n',
        );
      });
    });

  describe('a server with --max-size 100', () => {
    const server = sharedServer(socktype, '--max-size', '100');
    const client = clientOf(server);

    it('refuses a message over --max-size and says so, keeping nothing', async () => {
      await writeFile(join(dir, 'big.txt'), 'x'.repeat(100)); // 101 bytes with the newline
      const before = server().output().length;
      const sent = await client('send', 'big.txt');
      if (transport === 'tcp') expect(sent.code).toBe(EXIT.serverError); // UDP has no reply to say it
      await loggedAfter(server(), before, /refused/);
      expect((await client('receive')).code).toBe(EXIT.refused);
    });

    // The server resets either while the client still writes (8 MiB) or after it is done (100 bytes); each twice.
    if (transport === 'tcp')
      it('exits 4 every time over TCP, whether the server resets while the client still writes or after it is done', async () => {
        await writeFile(join(dir, 'small.txt'), 'x'.repeat(100));
        await writeFile(join(dir, 'large.txt'), 'x'.repeat(8 * 1024 * 1024));
        for (const file of ['small.txt', 'large.txt', 'small.txt', 'large.txt']) {
          expect(await client('send', file)).toMatchObject({
            code: EXIT.serverError,
            stderr: expect.stringContaining('the server did not store it'),
          });
        }
      });
  });

  it('keeps the queue across a restart with --store', async () => {
    const store = join(dir, 'queue.lmdb');
    let server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', '--store', store]);
    try {
      const client = clientOf(() => server);
      for (const text of ['first', 'second', 'third']) {
        await writeFile(join(dir, 'm.txt'), text);
        await client('send', 'm.txt');
      }
      expect((await client('receive')).stdout).toBe('first\n');
      server.child.kill('SIGTERM');
      await server.exited;
      server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', '--store', store]);
      await server.logged(/2 message\(s\) waiting/);
      expect((await client('receive')).stdout).toBe('second\n');
      expect((await client('receive')).stdout).toBe('third\n');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

// The PORT check is the argument parser's, before the transport is looked at: TCP stands for both.
it('refuses PORT 0, where no server can be, before anything is sent (exit 2)', async () => {
  const result = await wirestate(['queue', 'client', '127.0.0.1', '0', 'TCP', 'receive']);
  expect(result).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringContaining('PORT must be a number 1..65535, not "0"'),
  });
});

describe('a big send', () => {
  it("holds about the message's own size, not a copy per character: 32 MiB sent under 3x its size + 100 MB peak", async () => {
    const size = 32 * 1024 * 1024;
    await writeFile(join(dir, 'big.txt'), Buffer.alloc(size, 'a'));
    const server = await startCliServer([
      'queue',
      'server',
      '0',
      'TCP',
      '--host',
      '127.0.0.1',
      '--max-size',
      String(size + 1),
    ]);
    try {
      // GNU time reports the client process's peak resident set (its VmHWM) as it exits.
      const sent = await run(
        '/usr/bin/time',
        [
          '-f',
          'peak %M KB',
          process.execPath,
          CLI,
          'queue',
          'client',
          '127.0.0.1',
          String(server.port),
          'TCP',
          'send',
          'big.txt',
        ],
        { cwd: dir, timeoutMs: 50_000 },
      );
      expect(sent.code).toBe(EXIT.ok);
      expect(sent.stderr).toContain(`Sent: ${size} bytes`);
      const peakBytes = Number(/peak (\d+) KB/.exec(sent.stderr)![1]) * 1024;
      expect(peakBytes).toBeLessThan(3 * size + 100 * 1000 * 1000);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
