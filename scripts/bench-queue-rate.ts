/**
 * Queue part of `npm run bench`: messages per second for 100 B messages, one TCP connection per
 * operation, with N concurrent senders then N concurrent receivers, against the original server
 * (seedpeer queue serve, in memory), a plain Node server (yardstick-queue.ts) and wirestate's queue server in memory and with --store (lmdb) on
 * tmpfs and on disk, in rotating rounds. A send counts once the server has closed the connection
 * (for --store: after the message is synced); every message sent is received back whole. When
 * redis-server is installed, Redis runs the same loop (RPUSH, LPOP on list q, a connection each), in
 * memory and with AOF `appendfsync always` in the on-disk folder: a send counts once Redis replied.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  CLI,
  figure,
  installed,
  median,
  printTable,
  rotated,
  serverCpuSeconds,
  startServer,
  startServerOnPort,
  type Server,
} from './bench-kit';
import { temporaryFolder } from './bench-interrupt';
import { freePort } from '../src/test-support/processes';
import { MACHINE_ALONE, machineAloneMs } from './machine-alone';

const MESSAGE = Buffer.from('m'.repeat(99) + '\n');
const ORIGINAL = 'original (seedpeer)';
const YARDSTICK = 'plain Node yardstick';

export interface QueueOptions {
  messages: number;
  /** Send-receive pairs per server, one client, before the measured rounds: a long-running server's path is compiled. */
  warm: number;
  rounds: number;
  senders: number[];
  seedpeer: string;
  diskDir: string;
  timeout: number;
}

/** How a case's client sends one message and takes one back. */
interface Client {
  send: (port: number, timeoutSeconds: number) => Promise<void>;
  receive: (port: number, timeoutSeconds: number) => Promise<void>;
}

const QUEUE_CLIENT: Client = { send, receive };
const REDIS_CLIENT: Client = {
  send: (port, timeoutSeconds) =>
    redisCall(port, timeoutSeconds, ['RPUSH', 'q', MESSAGE], (reply) => reply.startsWith(':')),
  receive: (port, timeoutSeconds) =>
    redisCall(
      port,
      timeoutSeconds,
      ['LPOP', 'q'],
      (reply) => reply === `$${MESSAGE.length}\r\n${MESSAGE.toString()}\r\n`,
    ),
};

export async function benchQueueRate(options: QueueOptions): Promise<void> {
  // Before any server runs: the floor under wirestate's CPU per message, its machines' own share.
  const machineMs = await machineAloneMs(['queue', String(options.messages * options.rounds)], options.timeout);
  const servers: (Server & { client: Client })[] = [];
  const folders: (() => Promise<void>)[] = [];
  /** A new folder under `under`, removed at the end, or by the signal that stops the bench. */
  const folderIn = async (under: string, prefix: string) => {
    const { path, remove } = await temporaryFolder(under, prefix);
    folders.push(remove);
    return path;
  };
  const store = async (under: string) => [
    '--store',
    join(await folderIn(under, 'wirestate-bench-store-'), 'queue.lmdb'),
  ];
  const wirestate = async (name: string, extra: string[]) => ({
    client: QUEUE_CLIENT,
    ...(await startServer(
      name,
      process.execPath,
      [CLI, 'queue', 'server', '0', 'TCP', '--host', '127.0.0.1', ...extra],
      /queue server listening on [\d.]+:(\d+)/,
      options.timeout,
    )),
  });
  const redis = async (name: string, extra: string[]) => {
    const port = await freePort();
    const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...extra];
    return { client: REDIS_CLIENT, ...(await startServerOnPort(name, 'redis-server', argv, port, options.timeout)) };
  };
  try {
    if (existsSync(options.seedpeer) && installed('python3')) {
      const port = await freePort();
      servers.push({
        client: QUEUE_CLIENT,
        ...(await startServer(
          ORIGINAL,
          'python3',
          [options.seedpeer, 'queue', 'serve', String(port), 'tcp'],
          /listening/,
          options.timeout,
          port,
        )),
      });
    } else {
      console.log(`original queue server: ${options.seedpeer} or python3 not found, left out (--seedpeer PATH)`);
    }
    servers.push({
      client: QUEUE_CLIENT,
      ...(await startServer(
        YARDSTICK,
        process.execPath,
        [join(__dirname, 'yardstick-queue.js')],
        /listening on [\d.]+:(\d+)/,
        options.timeout,
      )),
    });
    servers.push(await wirestate('wirestate', []));
    if (existsSync('/dev/shm')) servers.push(await wirestate('wirestate --store tmpfs', await store('/dev/shm')));
    servers.push(await wirestate(`wirestate --store ${options.diskDir}`, await store(options.diskDir)));
    if (installed('redis-server')) {
      servers.push(await redis('redis (memory)', ['--appendonly', 'no']));
      const folder = await folderIn(options.diskDir, 'wirestate-bench-redis-');
      const aof = ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', folder];
      servers.push(await redis(`redis AOF always ${options.diskDir}`, aof));
    } else {
      console.log('redis-server not found: the Redis cases are left out');
    }

    const cases = servers.flatMap((server) =>
      options.senders.map((senders) => ({
        server,
        senders,
        name: `${server.name} × ${senders}`,
        sent: [] as number[],
        received: [] as number[],
        cpuSeconds: 0,
      })),
    );
    for (const { client, port } of servers)
      for (let pair = 0; pair < options.warm; pair++) {
        await client.send(port, options.timeout);
        await client.receive(port, options.timeout);
      }
    for (let round = 0; round < options.rounds; round++) {
      for (const entry of rotated(cases, round)) {
        const { client, port } = entry.server;
        const cpuBefore = serverCpuSeconds(entry.server);
        entry.sent.push(await rate(options.messages, entry.senders, () => client.send(port, options.timeout)));
        entry.received.push(await rate(options.messages, entry.senders, () => client.receive(port, options.timeout)));
        entry.cpuSeconds += serverCpuSeconds(entry.server) - cpuBefore;
      }
    }
    console.log(
      `\nqueue: ${options.messages} messages of ${MESSAGE.length} B per case and round, a connection per operation, ${options.rounds} rounds (medians) after ${options.warm} unmeasured send-receive pairs per server`,
    );
    const sentBy = (name: string, senders: number) =>
      median(cases.find((entry) => entry.server.name === name && entry.senders === senders)?.sent ?? []);
    printTable([
      [
        'server × concurrent clients',
        'send msg/s',
        '× original',
        '× plain Node',
        'receive msg/s',
        'server CPU ms/message',
      ],
      ...cases.map((entry) => [
        entry.name,
        figure(median(entry.sent)),
        figure(median(entry.sent) / sentBy(ORIGINAL, entry.senders), 2),
        figure(median(entry.sent) / sentBy(YARDSTICK, entry.senders), 2),
        figure(median(entry.received)),
        // Each message is sent once and received once: the CPU of both operations.
        figure((entry.cpuSeconds * 1000) / (options.messages * options.rounds), 3),
      ]),
      [MACHINE_ALONE, '–', '–', '–', '–', figure(machineMs, 3)],
    ]);
  } finally {
    for (const server of servers) server.stop();
    for (const remove of folders) await remove();
  }
}

/** Operations per second for `count` operations run by `workers` concurrent loops. */
async function rate(count: number, workers: number, operation: () => Promise<void>): Promise<number> {
  let started = 0;
  const loop = async () => {
    while (started < count) {
      started++;
      await operation();
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: workers }, loop));
  return count / ((performance.now() - began) / 1000);
}

/** Sends one message and waits for the server to close: stored (and synced, with --store). */
function send(port: number, timeoutSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(timeoutSeconds * 1000, () => socket.destroy(new Error('send timed out')));
    socket.on('data', () => socket.destroy(new Error('unexpected reply to a send')));
    socket.on('error', reject);
    socket.on('close', (hadError) => hadError || resolve());
    socket.end(MESSAGE);
  });
}

/** Asks for one message and checks it came back whole. */
function receive(port: number, timeoutSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(timeoutSeconds * 1000, () => socket.destroy(new Error('receive timed out')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (hadError) return;
      const reply = Buffer.concat(chunks);
      if (reply.equals(MESSAGE)) resolve();
      else reject(new Error(`received ${reply.length} B instead of the message: ${reply.toString().slice(0, 60)}`));
    });
    socket.write('<<GET>>');
  });
}

/** One Redis command on its own connection (RESP), resolved once the whole reply passes `ok`, then closed. */
function redisCall(
  port: number,
  timeoutSeconds: number,
  words: (string | Buffer)[],
  ok: (reply: string) => boolean,
): Promise<void> {
  const command = Buffer.concat([
    Buffer.from(`*${words.length}\r\n`),
    ...words.flatMap((word) => [
      Buffer.from(`$${Buffer.byteLength(word)}\r\n`),
      Buffer.from(word),
      Buffer.from('\r\n'),
    ]),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(timeoutSeconds * 1000, () => socket.destroy(new Error('redis command timed out')));
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!wholeReply(reply)) return;
      socket.end();
      if (ok(reply)) resolve();
      else reject(new Error(`unexpected redis reply: ${reply.slice(0, 60)}`));
    });
    socket.on('error', reject);
    socket.write(command);
  });
}

/** Whether `reply` holds one whole RESP reply: a bulk string (`$N`) its N bytes and CRLF, anything else its first line. */
function wholeReply(reply: string): boolean {
  const lineEnd = reply.indexOf('\r\n');
  if (lineEnd < 0) return false;
  if (!reply.startsWith('$')) return true;
  const length = Number(reply.slice(1, lineEnd));
  return length < 0 || reply.length >= lineEnd + 2 + length + 2;
}
