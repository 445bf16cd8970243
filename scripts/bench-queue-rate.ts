/**
 * Queue part of `npm run bench`: messages per second for 100 B messages, one TCP connection per
 * operation, with N concurrent senders then N concurrent receivers, against the original server
 * (seedpeer queue serve, in memory) and wirestate's queue server in memory and with --store (lmdb) on
 * tmpfs and on disk, in rotating rounds. A send counts once the server has closed the connection
 * (for --store: after the message is synced); every message sent is received back whole.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CLI, figure, installed, median, printTable, rotated, startServer, type Server } from './bench-kit';
import { freePort } from '../src/test-support/processes';

const MESSAGE = Buffer.from('m'.repeat(99) + '\n');
const ORIGINAL = 'original (seedpeer)';

export interface QueueOptions {
  messages: number;
  rounds: number;
  senders: number[];
  seedpeer: string;
  diskDir: string;
  timeout: number;
}

export async function benchQueueRate(options: QueueOptions): Promise<void> {
  const servers: Server[] = [];
  const folders: string[] = [];
  const store = async (under: string) => {
    const folder = await mkdtemp(join(under, 'wirestate-bench-store-'));
    folders.push(folder);
    return ['--store', join(folder, 'queue.lmdb')];
  };
  const wirestate = async (name: string, extra: string[]) =>
    startServer(
      name,
      process.execPath,
      [CLI, 'queue', 'server', '0', 'TCP', '--host', '127.0.0.1', ...extra],
      /queue server listening on [\d.]+:(\d+)/,
      options.timeout,
    );
  try {
    if (existsSync(options.seedpeer) && installed('python3')) {
      const port = await freePort();
      servers.push(
        await startServer(
          ORIGINAL,
          'python3',
          [options.seedpeer, 'queue', 'serve', String(port), 'tcp'],
          /listening/,
          options.timeout,
          port,
        ),
      );
    } else {
      console.log(`original queue server: ${options.seedpeer} or python3 not found, left out (--seedpeer PATH)`);
    }
    servers.push(await wirestate('wirestate', []));
    if (existsSync('/dev/shm')) servers.push(await wirestate('wirestate --store tmpfs', await store('/dev/shm')));
    servers.push(await wirestate(`wirestate --store ${options.diskDir}`, await store(options.diskDir)));

    const cases = servers.flatMap((server) =>
      options.senders.map((senders) => ({
        server,
        senders,
        name: `${server.name} × ${senders}`,
        sent: [] as number[],
        received: [] as number[],
      })),
    );
    for (let round = 0; round < options.rounds; round++) {
      for (const entry of rotated(cases, round)) {
        entry.sent.push(await rate(options.messages, entry.senders, () => send(entry.server.port, options.timeout)));
        entry.received.push(
          await rate(options.messages, entry.senders, () => receive(entry.server.port, options.timeout)),
        );
      }
    }
    console.log(
      `\nqueue: ${options.messages} messages of ${MESSAGE.length} B per case and round, a connection per operation, ${options.rounds} rounds (medians)`,
    );
    const original = (senders: number) =>
      median(cases.find((entry) => entry.server.name === ORIGINAL && entry.senders === senders)?.sent ?? []);
    printTable([
      ['server × concurrent clients', 'send msg/s', '× original', 'receive msg/s'],
      ...cases.map((entry) => [
        entry.name,
        figure(median(entry.sent)),
        figure(median(entry.sent) / original(entry.senders), 2),
        figure(median(entry.received)),
      ]),
    ]);
  } finally {
    for (const server of servers) server.stop();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
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
