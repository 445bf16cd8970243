/**
 * Small-request part of `npm run bench`: 1 KiB download round trips (connect to end of stream, one
 * at a time) against the wirestate server and the plain Node yardstick (scripts/yardstick-server.ts)
 * in alternating blocks, the server CPU each request costs, and the memory an idle connection holds
 * (RSS delta over many connections that have sent nothing).
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  CLI,
  figure,
  makeFile,
  percentile,
  printTable,
  serverCpuSeconds,
  serverMemoryMiB,
  sleep,
  startServer,
  type Server,
} from './bench-kit';
import { MACHINE_ALONE, machineAloneMs } from './machine-alone';

const YARDSTICK = join(__dirname, 'yardstick-server.js');
const FILE_SIZE = 1024;

export interface SmallOptions {
  requests: number;
  /** Round trips per server before the measured ones: a long-running server's path is compiled by the JIT. */
  warm: number;
  idle: number;
  work: string;
  timeout: number;
}

interface Tally {
  name: string;
  milliseconds: number[];
  cpuSeconds: number;
  idleKiB: number;
}

export async function benchSmallRequests(options: SmallOptions): Promise<void> {
  const root = join(options.work, 'small');
  await makeFile(join(root, 'small.bin'), FILE_SIZE);
  const limits = [
    '--max-connections',
    String(options.idle + 100),
    '--max-per-address',
    String(options.idle + 100),
    '--request-timeout',
    '120',
    '--idle-timeout',
    '120',
  ];
  const listening = /listening on [\d.]+:(\d+)/;
  const startBoth = async () => [
    await startServer(
      'wirestate',
      process.execPath,
      [CLI, 'server', '--host', '127.0.0.1', '-l', '0', '--root', root, ...limits],
      listening,
      options.timeout,
    ),
    await startServer('plain Node yardstick', process.execPath, [YARDSTICK, root], listening, options.timeout),
  ];
  const warm = async (server: Server, count: number) => {
    for (let request = 0; request < count; request++) await roundTrip(server.port, options.timeout);
  };
  const servers = await startBoth();
  const tallies = servers.map((server): Tally => ({
    name: server.name,
    milliseconds: [],
    cpuSeconds: 0,
    idleKiB: NaN,
  }));
  try {
    for (const server of servers) await warm(server, options.warm);
    const blocks = 10;
    for (let block = 0; block < blocks; block++) {
      for (const index of block % 2 === 0 ? [0, 1] : [1, 0]) {
        const cpuBefore = serverCpuSeconds(servers[index]);
        for (let request = 0; request < Math.ceil(options.requests / blocks); request++)
          tallies[index].milliseconds.push(await roundTrip(servers[index].port, options.timeout));
        tallies[index].cpuSeconds += serverCpuSeconds(servers[index]) - cpuBefore;
      }
    }
  } finally {
    for (const server of servers) server.stop();
  }
  // Fresh servers for the idle count, so that garbage left by the round trips is not collected during it.
  const fresh = await startBoth();
  try {
    for (const [index, server] of fresh.entries()) {
      await warm(server, 50);
      tallies[index].idleKiB = await idleConnectionKiB(server, options.idle, options.timeout);
    }
  } finally {
    for (const server of fresh) server.stop();
  }
  // With no server running: the floor under wirestate's CPU per request, its machine's own share.
  const machineMs = await machineAloneMs(['download', root, String(options.requests)], options.timeout);

  console.log(
    `\nsmall requests: ${tallies[0].milliseconds.length} round trips of a ${FILE_SIZE} B download per server, one at a time, alternating blocks, after ${options.warm} unmeasured ones; ${options.idle} idle connections`,
  );
  const yardstick = tallies[1];
  const rows = [['server', 'p50 ms', 'p99 ms', 'p50 × yardstick', 'server CPU ms/request', 'KiB per idle connection']];
  for (const tally of tallies) {
    const p50 = percentile(tally.milliseconds, 0.5);
    rows.push([
      tally.name,
      figure(p50, 3),
      figure(percentile(tally.milliseconds, 0.99), 3),
      figure(p50 / percentile(yardstick.milliseconds, 0.5), 2),
      figure((tally.cpuSeconds * 1000) / tally.milliseconds.length, 3),
      figure(tally.idleKiB, 1),
    ]);
  }
  rows.push([MACHINE_ALONE, '–', '–', '–', figure(machineMs, 3), '–']);
  printTable(rows);
}

/** One download of small.bin: REQUEST, reply, confirm, data, the server's end. Milliseconds from connect to end. */
function roundTrip(port: number, timeoutSeconds: number): Promise<number> {
  const started = performance.now();
  const request = Buffer.alloc(256);
  request[0] = 0x44;
  request.write('small.bin', 1);
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    socket.setTimeout(timeoutSeconds * 1000, () => socket.destroy(new Error('round trip timed out')));
    let reply = Buffer.alloc(0);
    let data = 0;
    socket.on('data', (chunk: Buffer) => {
      if (reply.length >= 9) return void (data += chunk.length);
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 9) return;
      if (reply[0] !== 0x54) return void socket.destroy(new Error(`download refused: ${reply[0]}`));
      data = reply.length - 9;
      socket.write('T');
    });
    socket.on('end', () => {
      socket.destroy();
      if (data === FILE_SIZE) resolve(performance.now() - started);
      else reject(new Error(`download ended after ${data} of ${FILE_SIZE} bytes`));
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

/** RSS the server gains per connection while `count` connections sit open without a word, in KiB. */
async function idleConnectionKiB(server: Server, count: number, timeoutSeconds: number): Promise<number> {
  await sleep(500);
  const before = serverMemoryMiB(server, 'VmRSS');
  const sockets: Socket[] = [];
  try {
    for (let opened = 0; opened < count; opened++) {
      sockets.push(
        await new Promise<Socket>((resolve, reject) => {
          const socket = connect({ port: server.port, host: '127.0.0.1' }, () => resolve(socket));
          socket.setTimeout(timeoutSeconds * 1000, () => socket.destroy());
          socket.once('error', reject);
        }),
      );
    }
    await sleep(1000); // the server accepts and sets each one up
    const closed = sockets.filter((socket) => socket.destroyed || socket.readyState !== 'open').length;
    if (closed > 0) throw new Error(`${server.name} closed ${closed} of ${count} idle connections`);
    return ((serverMemoryMiB(server, 'VmRSS') - before) * 1024) / count;
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}
