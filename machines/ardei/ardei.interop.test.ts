/**
 * Ardei (seed 000) against seedpeer.py, which sends and answers what the original programs do, in both
 * directions, over TCP and UDP: wirestate's client against the original servers, and the original
 * clients (as seedpeer plays them, plain and --faithful: one read of 1024 bytes) against wirestate's
 * server. Every operation: echo, a number (a file), a stream, and the refusals.
 */
import { createHash } from 'node:crypto';
import { EXIT } from '../../src/engine/exit-codes';
import { SEEDPEER, seedpeer, startPeerServer, type PeerServer } from '../../src/test-support/peers';
import {
  ardeiServerOnFreePorts,
  startCliServer,
  wirestate,
  type ServerProcess,
} from '../../src/test-support/processes';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const A = (size: number) => Buffer.alloc(size, 'A');
const LIMIT_TEXT = 'Request for file of 123456791 chars. Server limit is: 123456790 chars.';

describe("wirestate's client against the original servers", () => {
  const servers: Record<'tcp' | 'udp', PeerServer | undefined> = { tcp: undefined, udp: undefined };
  beforeAll(async () => {
    servers.tcp = await startPeerServer(SEEDPEER, (port) => ['ardei', 'serve-tcp', String(port)]);
    servers.udp = await startPeerServer(SEEDPEER, (port) => ['ardei', 'serve-udp', String(port)]);
  });
  afterAll(async () => {
    await servers.tcp?.stop();
    await servers.udp?.stop();
  });

  describe.each(['tcp', 'udp'] as const)('over %s', (transport) => {
    const client = (request: string) =>
      wirestate([
        'ardei',
        'client',
        ...(transport === 'udp' ? ['--udp'] : []),
        '--port',
        String(servers[transport]!.port),
        '--idle-timeout',
        '2',
        '--',
        request,
      ]);

    it('echo, a file and a stream, with the exact bytes the original client sends (no newline)', async () => {
      expect(await client('hello')).toMatchObject({ code: EXIT.ok, stdout: 'HELLO\n' });
      expect((await client('100000')).stdout).toMatch(/^file of 100000 chars: received 100000 of 100000 bytes, 0 lost/);
      expect((await client('stream-1.0-5-100')).stdout).toMatch(
        /^stream of 5 x 100 bytes: received 500 of 500 bytes, 0 lost/,
      );
      expect(servers[transport]!.log()).toContain("b'hello' -> echo");
      expect(servers[transport]!.log()).toContain("b'stream-1.0-5-100' -> stream");
    });

    it("refusals exit 3: the limit text, and a negative number's lone file_prepared", async () => {
      expect(await client('123456791')).toMatchObject({ code: EXIT.refused, stdout: `${LIMIT_TEXT}\n` });
      expect(await client('-5')).toMatchObject({ code: EXIT.refused, stdout: 'file_prepared\n' });
    });
  });

  it('a request the original answers with nothing: exit 3 over TCP (it closes), 5 over UDP (no answer in time)', async () => {
    const tcp = (request: string) => wirestate(['ardei', 'client', '--port', String(servers.tcp!.port), request]);
    for (const request of ['stream-x', '123456790']) {
      expect(await tcp(request)).toMatchObject({
        code: EXIT.refused,
        stderr: expect.stringContaining('the server closed without a reply'),
      });
    }
    const udp = await wirestate([
      'ardei',
      'client',
      '--udp',
      '--port',
      String(servers.udp!.port),
      '--idle-timeout',
      '1',
      'stream-x',
    ]);
    expect(udp).toMatchObject({ code: EXIT.interrupted, stderr: expect.stringContaining('no answer from the server') });
  });
});

describe("the original clients against wirestate's server", () => {
  let server: ServerProcess;
  let original: Record<'tcp' | 'udp', PeerServer | undefined>;
  const ports = { tcp: '', udp: '' };
  beforeAll(async () => {
    // The original client's one read races the data after file_prepared; a 20 ms pause (the default is
    // 1 ms, already more than the original server's) keeps that race out of a loaded test machine. The UDP
    // limits are lifted: the comparison is with the original's behaviour, files of 100000 bytes included.
    server = await startCliServer([
      ...ardeiServerOnFreePorts(),
      '--prepared-gap',
      '20',
      '--udp-max-reply',
      '0',
      '--udp-max-rate',
      '0',
    ]);
    await server.logged(/ardei-udp server listening on [\d.]+:\d+/);
    ports.tcp = /ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1];
    ports.udp = /ardei-udp server listening on [\d.]+:(\d+)/.exec(server.output())![1];
    original = {
      tcp: await startPeerServer(SEEDPEER, (port) => ['ardei', 'serve-tcp', String(port)]),
      udp: await startPeerServer(SEEDPEER, (port) => ['ardei', 'serve-udp', String(port)]),
    };
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await original.tcp?.stop();
    await original.udp?.stop();
  });

  const peer = (transport: 'tcp' | 'udp', port: string | number, request: string[], faithful = false) =>
    seedpeer([
      'ardei',
      transport,
      '127.0.0.1',
      String(port),
      ...request,
      ...(faithful ? ['--faithful'] : []),
      '--timeout',
      '10',
    ]);

  it.each([['hello'], ['100000'], ['stream', '1', '5', '100'], ['123456791']])(
    'TCP %s: the same reply, byte for byte, as from the original server',
    async (...request) => {
      const [ours, theirs] = [await peer('tcp', ports.tcp, request), await peer('tcp', original.tcp!.port, request)];
      expect(ours).toMatchObject({ code: theirs.code, stdout: theirs.stdout });
    },
  );

  it.each([['hello'], ['stream', '1', '5', '100'], ['123456791']])(
    'UDP %s: the same datagrams as from the original server',
    async (...request) => {
      const [ours, theirs] = [await peer('udp', ports.udp, request), await peer('udp', original.udp!.port, request)];
      expect(ours).toMatchObject({ code: theirs.code, stdout: theirs.stdout });
    },
  );

  it('UDP a file: the same bytes as from the original server, in datagrams of 1024 bytes instead of 1120', async () => {
    const [ours, theirs] = [
      await peer('udp', ports.udp, ['100000']),
      await peer('udp', original.udp!.port, ['100000']),
    ];
    expect(ours.code).toBe(EXIT.ok);
    expect(ours.stdout.split('\n')[0]).toBe(theirs.stdout.split('\n')[0]);
    expect(ours.stdout).toContain(`reply 100013 ${sha(Buffer.concat([Buffer.from('file_prepared'), A(100_000)]))}`);
    expect(ours.stdout).toContain('datagrams 99 sizes 13,1024x97,672');
  });

  it.each(['tcp', 'udp'] as const)(
    '%s: what the original ignores gets a one-line error instead (seedpeer flags the difference)',
    async (transport) => {
      const port = transport === 'tcp' ? ports.tcp : ports.udp;
      expect((await peer(transport, port, ['-5'])).stdout).toContain(
        `text b'Error: a file size is a positive number of chars'`,
      );
      expect(await peer(transport, port, ['stream-x'])).toMatchObject({
        code: 3,
        stdout: expect.stringContaining(`text b'Error: a stream request is stream-<interval_ms>-<count>-<size>'`),
      });
      expect(await peer(transport, port, ['stream-nan-0-5'])).toMatchObject({
        code: 3,
        stdout: expect.stringContaining('has errors.'),
      });
    },
  );

  describe('--faithful: one read of 1024 bytes, as the original client reads', () => {
    it('TCP: the echo and the limit text whole in one read, and a file and a stream complete', async () => {
      expect(await peer('tcp', ports.tcp, ['hello'], true)).toMatchObject({ code: 0, stdout: "text b'HELLO'\n" });
      expect(await peer('tcp', ports.tcp, ['123456791'], true)).toMatchObject({
        code: 3,
        stdout: `text b'${LIMIT_TEXT}'\n`,
      });
      expect(await peer('tcp', ports.tcp, ['100000'], true)).toMatchObject({
        code: 0,
        stdout: `ok 100000 ${sha(A(100_000))}\n`,
      });
      expect(await peer('tcp', ports.tcp, ['stream', '1', '5', '100'], true)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining(`ok 500 ${sha(A(500))}\n`),
      });
    });

    it('UDP: the echo and the limit text, a file with no loss (the original server loses 96 bytes a datagram), and a stream', async () => {
      expect(await peer('udp', ports.udp, ['hello'], true)).toMatchObject({ code: 0, stdout: "text b'HELLO'\n" });
      expect(await peer('udp', ports.udp, ['123456791'], true)).toMatchObject({
        code: 3,
        stdout: `text b'${LIMIT_TEXT}'\n`,
      });
      expect(await peer('udp', ports.udp, ['100000'], true)).toMatchObject({
        code: 0,
        stdout: `ok 100000 ${sha(A(100_000))}\ndatagrams 98 sizes 1024x97,672\n`,
      });
      expect(await peer('udp', original.udp!.port, ['100000'], true)).toMatchObject({
        code: 5,
        stdout: expect.stringContaining('loss 8544'),
      });
      expect(await peer('udp', ports.udp, ['stream', '1', '5', '100'], true)).toMatchObject({
        code: 0,
        stdout: `ok 500 ${sha(A(500))}\ndatagrams 5 sizes 100x5\n`,
      });
    });
  });
});
