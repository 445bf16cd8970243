/**
 * Hostile peers against every TCP server, as real processes on loopback: the attacker connects from
 * 127.0.0.2, a legitimate client from 127.0.0.3, and the promise under test is that the legitimate
 * client is served within SERVED_WITHIN_MS whatever the attacker does: flood idle connections
 * (--max-per-address), trickle a request (--request-timeout), trickle a file or message
 * (--min-rate), ask a large download and never read it (--min-rate), or pipeline requests without reading
 * (the loop stops reading while its writes back up).
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLIENT_KEY, commandBytes } from '../../machines/ardei/advanced-codec';
import { HELLO_REPLY_SIZE, IMPLEMENTED, encodeHello } from '../../machines/transfer/extension-frames';
import { OP, encodeRequest, encodeUploadSize } from '../../machines/transfer/frames';
import { ardeiServerOnFreePorts, startCliServer, type ServerProcess } from '../test-support/processes';

const ATTACKER = '127.0.0.2';
const LEGITIMATE = '127.0.0.3';
/** The bound this suite promises: a legitimate client is served within this, under every attack. */
const SERVED_WITHIN_MS = 5_000;
/** Small limits, so that the suite runs in seconds; the defaults are in the README. */
const SMALL_LIMITS = ['--request-timeout', '0.5', '--min-rate', '1024', '--rate-window', '0.5', '--idle-timeout', '60'];

interface Protocol {
  name: string;
  /** The server command (listening on port 0 on 127.0.0.1) for a served folder. */
  command(root: string): string[];
  /** The log line that gives its TCP port (the command may start other listeners first). */
  listening: RegExp;
  /** A legitimate request, and what its answer holds once served. */
  request: Buffer;
  served: RegExp;
  /** The legitimate client ends its side after its request: no newline ends one (ardei), and the quiet period is long here. */
  endsRequest?: true;
  /** A request that never completes when sent a byte at a time (leading bytes sent at once). */
  trickle?: { head: Buffer; byte: Buffer };
  /** How an upload starts; its bytes are then trickled. */
  upload?: Buffer;
}

/** A lab server that reads a text request; a quiet period longer than the trickle's gaps, so only the deadline ends it. */
const text = (command: string) => () => [command, 'server', '0', '--host', '127.0.0.1', '--quiet-period', '5000'];
const textWithRoot = (command: string) => (root: string) => [...text(command)(), '--root', root];
const ardei = (root: string) => [...ardeiServerOnFreePorts(root), '--quiet-period', '5000'];

const PROTOCOLS: Protocol[] = [
  {
    name: 'transfer',
    command: (root) => ['server', '-l', '0', '--host', '127.0.0.1', '--root', root],
    listening: /transfer server listening on [\d.]+:(\d+)/,
    request: encodeRequest(OP.download, 'missing.bin'),
    served: /^F/,
    trickle: { head: Buffer.from([OP.upload]), byte: Buffer.from('n') },
    upload: Buffer.concat([encodeRequest(OP.upload, 'slow.bin'), encodeUploadSize(1_000_000)]),
  },
  {
    name: 'queue',
    command: () => ['queue', 'server', '0', 'tcp', '--host', '127.0.0.1'],
    listening: /queue server listening on [\d.]+:(\d+)/,
    request: Buffer.from('<<GET>>'),
    served: /no messages in queue/,
    upload: Buffer.from('a message '),
  },
  {
    name: 'upper',
    command: text('upper'),
    listening: /upper server listening on [\d.]+:(\d+)/,
    request: Buffer.from('served\n'),
    served: /SERVED/,
    trickle: { head: Buffer.alloc(0), byte: Buffer.from('a') },
  },
  {
    name: 'sum',
    command: text('sum'),
    listening: /sum server listening on [\d.]+:(\d+)/,
    request: Buffer.from('legitimate\n5\n'),
    served: /\d/,
    trickle: { head: Buffer.alloc(0), byte: Buffer.from('a') },
  },
  {
    name: 'blocks',
    command: textWithRoot('blocks'),
    listening: /blocks server listening on [\d.]+:(\d+)/,
    request: Buffer.from('here.txt\n'),
    served: /^OK 4/,
    trickle: { head: Buffer.alloc(0), byte: Buffer.from('a') },
  },
  {
    name: 'share',
    command: textWithRoot('share'),
    listening: /share server listening on [\d.]+:(\d+)/,
    request: Buffer.from('list\n'),
    served: /here\.txt/,
    trickle: { head: Buffer.alloc(0), byte: Buffer.from('a') },
    upload: Buffer.from('put,slow.bin\n'),
  },
  {
    name: 'ardei',
    command: ardei,
    listening: /\sardei server listening on [\d.]+:(\d+)/,
    request: Buffer.from('served'),
    served: /SERVED/,
    endsRequest: true,
    trickle: { head: Buffer.alloc(0), byte: Buffer.from('a') },
  },
  {
    name: 'ardei advanced',
    command: ardei,
    listening: /ardei-advanced server listening on [\d.]+:(\d+)/,
    request: Buffer.concat([CLIENT_KEY, commandBytes('ls')]),
    served: /here\.txt\n929Z$/,
    trickle: { head: CLIENT_KEY, byte: Buffer.from('l') },
  },
];

/** A socket from `from` to the server, with what it received and how it ended. */
async function peer(port: number, from: string) {
  const socket: Socket = connect({ host: '127.0.0.1', port, localAddress: from });
  const received: Buffer[] = [];
  const ended = new Promise<'end' | 'reset'>((resolve) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => resolve('end'));
    socket.on('error', () => resolve('reset'));
    socket.on('close', () => resolve('reset'));
  });
  await Promise.race([once(socket, 'connect'), ended]).catch(() => undefined);
  return { socket, ended, text: () => Buffer.concat(received).toString('latin1') };
}

/** Sends `bytes` one chunk every `everyMs` (at most `count` times) until the server ends the connection. */
async function trickle(
  client: Awaited<ReturnType<typeof peer>>,
  bytes: Buffer,
  everyMs: number,
  count: number,
): Promise<'end' | 'reset' | 'still open'> {
  for (let sent = 0; sent < count && !client.socket.destroyed; sent++) {
    client.socket.write(bytes);
    const ended = await Promise.race([client.ended, delay(everyMs, undefined, { ref: false }).then(() => undefined)]);
    if (ended) return ended;
  }
  return Promise.race([client.ended, delay(everyMs, undefined, { ref: false }).then(() => 'still open' as const)]);
}

let base: string;
let server: ServerProcess | undefined;
let port: number;
/** Where this test's lines start in the server's output: a shared server holds earlier tests' lines before them. */
let mark = 0;
/** The server's lines since this test started. */
const since = () => server!.output().slice(mark);
/**
 * Servers shared, one per command and limits, by the tests that ask it: each such test reads only the lines logged
 * since it started, stores nothing, and leaves no connection open. A server spawn less for each.
 */
const shared = new Map<string, { base: string; server: ServerProcess }>();

async function start(protocol: Protocol, limits: string[], share = false) {
  const key = [...protocol.command('/'), ...limits].join(' ');
  const known = share ? shared.get(key) : undefined;
  if (known) ({ base, server } = known);
  else {
    base = await mkdtemp(join(tmpdir(), 'wirestate-hostile-'));
    await mkdir(join(base, 'root'));
    await writeFile(join(base, 'root', 'here.txt'), 'here');
    server = await startCliServer([...protocol.command(join(base, 'root')), ...limits]);
    if (share) shared.set(key, { base, server });
  }
  await server.logged(protocol.listening);
  port = Number(protocol.listening.exec(server.output())![1]);
  mark = server.output().length;
  return join(base, 'root');
}

/** Resolves once the server has logged `pattern` since this test started; fails after SERVED_WITHIN_MS. */
async function logged(pattern: RegExp): Promise<void> {
  for (let waited = 0; waited < SERVED_WITHIN_MS && !pattern.test(since()); waited += 20) await delay(20);
  if (!pattern.test(since())) throw new Error(`not logged within ${SERVED_WITHIN_MS / 1000} s: ${pattern}\n${since()}`);
}

const stop = async (stopped: { base: string; server?: ServerProcess }) => {
  stopped.server?.child.kill('SIGKILL');
  await stopped.server?.exited;
  await rm(stopped.base, { recursive: true, force: true });
};
afterEach(async () => {
  if (![...shared.values()].some((known) => known.server === server)) await stop({ base, server });
  server = undefined;
});
afterAll(async () => {
  for (const known of shared.values()) await stop(known);
});

/** What `client` received once it matches `served`, or all it received within SERVED_WITHIN_MS; the client is closed. */
async function answer(client: Awaited<ReturnType<typeof peer>>, served: RegExp): Promise<string> {
  const deadline = delay(SERVED_WITHIN_MS, undefined, { ref: false });
  while (!served.test(client.text())) {
    const more = await Promise.race([
      once(client.socket, 'data').then(() => true),
      client.ended.then(() => false),
      deadline.then(() => false),
    ]);
    if (!more) break;
  }
  client.socket.destroy();
  return client.text();
}

/** The legitimate client's request, from 127.0.0.3, and its answer. */
async function legitimate(protocol: Protocol): Promise<string> {
  const client = await peer(port, LEGITIMATE);
  if (protocol.endsRequest) client.socket.end(protocol.request);
  else client.socket.write(protocol.request);
  return answer(client, protocol.served);
}

describe.each(PROTOCOLS)('$name server against a hostile peer', (protocol) => {
  it(`an idle flood from one address takes at most --max-per-address slots: a client from another is served within ${SERVED_WITHIN_MS / 1000} s`, async () => {
    await start(protocol, [
      '--max-connections',
      '8',
      '--max-per-address',
      '4',
      '--request-timeout',
      '60',
      '--idle-timeout',
      '60',
    ]);
    const flood = [];
    for (let i = 0; i < 12; i++) flood.push(await peer(port, ATTACKER));

    expect(await legitimate(protocol)).toMatch(protocol.served);
    await logged(/refused 127\.0\.0\.2:\d+: 4 connections open from 127\.0\.0\.2, the most --max-per-address allows/);
    // The four it let in are still open: the limit did this, not a timeout.
    const open = await Promise.all(
      flood.map((attacker) => Promise.race([attacker.ended, delay(100, undefined, { ref: false }).then(() => 'open')])),
    );
    expect(open.filter((state) => state === 'open')).toHaveLength(4);
    for (const attacker of flood) attacker.socket.destroy();
  });

  if (protocol.trickle) {
    const { head, byte } = protocol.trickle;
    it(`a request trickled a byte at a time is cut at --request-timeout, logged, while a client is served within ${SERVED_WITHIN_MS / 1000} s`, async () => {
      await start(protocol, SMALL_LIMITS, true);
      const attacker = await peer(port, ATTACKER);
      attacker.socket.write(head);
      const cut = trickle(attacker, byte, 100, 50); // 10 bytes/s, at most 5 s: the 0.5 s deadline comes first
      expect(await legitimate(protocol)).toMatch(protocol.served);
      expect(await cut).toBe('reset');
      await logged(/cut 127\.0\.0\.2:\d+: request not complete within 0\.5 s \(--request-timeout\)/);
    });
  }

  if (protocol.upload) {
    const upload = protocol.upload;
    it(`an upload below --min-rate is cut, logged, and stores nothing, while a client is served within ${SERVED_WITHIN_MS / 1000} s`, async () => {
      const root = await start(protocol, SMALL_LIMITS, true);
      const attacker = await peer(port, ATTACKER);
      attacker.socket.write(upload);
      const cut = trickle(attacker, Buffer.alloc(10, 0x61), 50, 100); // 200 bytes/s, at most 5 s
      expect(await legitimate(protocol)).toMatch(protocol.served);
      expect(await cut).toBe('reset');
      await logged(/cut 127\.0\.0\.2:\d+: \d+ B\/s over 0\.5 s, under --min-rate 1024/);
      expect(await readdir(root)).toEqual(['here.txt']);
    });
  }
});

describe('transfer server against a peer that asks a large download and never reads', () => {
  it(`is cut by --min-rate once the kernel's buffers are full, logged, while a client is served within ${SERVED_WITHIN_MS / 1000} s`, async () => {
    const protocol = PROTOCOLS.find(({ name }) => name === 'transfer')!;
    const root = await start(protocol, SMALL_LIMITS);
    // Far more than the server's send buffer and the attacker's receive buffer hold together.
    await writeFile(join(root, 'large.bin'), Buffer.alloc(32 * 1024 * 1024));
    const attacker = await peer(port, ATTACKER);
    try {
      attacker.socket.pause(); // never reads: not the reply, not a byte of the file
      attacker.socket.on('error', () => undefined);
      attacker.socket.write(Buffer.concat([encodeRequest(OP.download, 'large.bin'), Buffer.from('T')]));
      await logged(/\[c\d+\] download "large\.bin"/);
      await logged(/cut 127\.0\.0\.2:\d+: \d+ B\/s over 0\.5 s, under --min-rate 1024/);
      // The connection is closed and its session ended, as the server logs it.
      const attackerId = /\[(c\d+)\] connected from 127\.0\.0\.2/.exec(since())![1];
      await logged(new RegExp(`\\[${attackerId}\\] \\w+ \\(too_slow\\)`));
      expect(await legitimate(protocol)).toMatch(protocol.served);
    } finally {
      attacker.socket.destroy();
    }
  });
});

describe('transfer server against a peer that resets its upload request at once', () => {
  it('holds no name after the reset: the next upload of that name is stored', async () => {
    // The name was claimed after a turn of the loop, by then the reset had ended the connection and released its
    // names: the claim stayed until the server stopped, and every later upload of the name was refused as busy.
    const protocol = PROTOCOLS.find(({ name }) => name === 'transfer')!;
    const root = await start(protocol, SMALL_LIMITS);
    for (let round = 0; round < 10; round++) {
      const name = `victim-${round}.bin`;
      const attacker = await peer(port, ATTACKER);
      attacker.socket.write(encodeRequest(OP.upload, name), () => attacker.socket.resetAndDestroy());
      await logged(new RegExp(`\\[(c\\d+)\\] upload "${name}"[\\s\\S]*\\[\\1\\] \\w+ \\(`));
      const client = await peer(port, LEGITIMATE);
      client.socket.end(Buffer.concat([encodeRequest(OP.upload, name), encodeUploadSize(5), Buffer.from('fresh')]));
      await client.ended;
      expect({ reply: client.text(), stored: await readFile(join(root, name), 'utf8') }).toEqual({
        reply: 'TT', // yes to the request, then stored
        stored: 'fresh',
      });
    }
  });
});

describe('ardei advanced server against a peer that pipelines requests and never reads', () => {
  const protocol = PROTOCOLS.find(({ name }) => name === 'ardei advanced')!;
  /** Server memory in MiB, from /proc. */
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${String(server!.child.pid)}/status`, 'utf8'))![1]) / 1024;
  const COMMANDS = 5000;

  it('stops reading once its replies back up: it answers a bounded number, stays small, and serves a client within 5 s', async () => {
    // A long request deadline: this is about memory, not about the deadline (which would cut this peer too).
    const root = await start(protocol, ['--request-timeout', '60']);
    // Listings of about 20 KB each: 5000 of them, all held, would be about 100 MB.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        writeFile(join(root, `${String(i).padStart(3, '0')}-${'n'.repeat(190)}`), ''),
      ),
    );
    const before = await rss();
    const attacker = await peer(port, ATTACKER);
    attacker.socket.pause(); // never reads
    attacker.socket.write(Buffer.concat([CLIENT_KEY, Buffer.from('ls929Z'.repeat(COMMANDS))]));
    await logged(/\[c\d+\] connected from 127\.0\.0\.2/);
    const attackerId = /\[(c\d+)\] connected from 127\.0\.0\.2/.exec(since())![1];
    const answered = () =>
      server!
        .output()
        .split('\n')
        .filter((line) => line.includes(`[${attackerId}] /: ls`)).length;

    expect(await legitimate({ ...protocol, served: /929Z$/ })).toMatch(/Files: \n\n000-n+\n/);
    // Wait (at most 5 s) until the server answers no more: with every command read, that takes all 5000.
    let last = -1;
    for (let round = 0; round < 25 && answered() !== last && answered() < COMMANDS; round++) {
      last = answered();
      await delay(200);
    }
    expect(answered()).toBeLessThan(COMMANDS / 5);
    expect((await rss()) - before).toBeLessThan(40);
    attacker.socket.destroy();
  });
});

describe('ardei advanced server and a person at its prompt', () => {
  it('a client that waits after its key longer than --request-timeout is still served: the key is its first request', async () => {
    const protocol = PROTOCOLS.find(({ name }) => name === 'ardei advanced')!;
    await start(protocol, SMALL_LIMITS, true);
    const client = await peer(port, LEGITIMATE);
    client.socket.write(CLIENT_KEY);
    await delay(1000); // twice the deadline: someone thinking at the prompt
    client.socket.write(commandBytes('ls'));
    expect(await answer(client, protocol.served)).toMatch(protocol.served);
  });
});

describe('transfer server and a wirestate client on a slow link', () => {
  it('the request after a hello is timed from its own first byte: hello and request together may take longer than --request-timeout', async () => {
    const protocol = PROTOCOLS.find(({ name }) => name === 'transfer')!;
    await start(protocol, SMALL_LIMITS, true);
    const client = await peer(port, LEGITIMATE);
    await delay(400); // the hello's bytes take most of the 0.5 s deadline to come
    client.socket.write(encodeHello(IMPLEMENTED));
    while (client.text().length < HELLO_REPLY_SIZE) await once(client.socket, 'data');
    await delay(300); // the request's first byte comes 0.7 s after the connection: past a deadline timed from it
    client.socket.write(protocol.request);
    // F: no such file, the answer to the request; a cut connection would have ended with the hello reply alone.
    expect((await answer(client, /^[\s\S]{16}F/)).slice(HELLO_REPLY_SIZE, HELLO_REPLY_SIZE + 1)).toBe('F');
  });
});
