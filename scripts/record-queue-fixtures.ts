/**
 * Records fixtures/traces/queue/ from real runs over loopback (`npm run
 * fixtures`): the queue's server and client machines over TCP and UDP, one
 * scenario per path. The fixture tests replay each trace against a fresh machine.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { queueClient, queueProtocolName, queueServer, type Transport } from '../machines/queue';
import { GET } from '../machines/queue/codec';
import { MessageQueue } from '../machines/queue/message-queue';
import { MemoryKeeper } from '../machines/queue/message-keeper';
import type { QueueClientInput } from '../machines/queue/tcp-client';
import type { ListeningServer } from '../src/loop/listening-server';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { startTcpServer } from '../src/loop/tcp-server';
import { runUdpClient } from '../src/loop/udp-connect';
import { startUdpServer } from '../src/loop/udp-server';
import { TraceWriter } from '../src/trace/trace-writer';

const OUT = join(__dirname, '..', '..', 'fixtures', 'traces', 'queue');
const MESSAGE = Buffer.from('This is message one. I am 41 characters.\n');
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

interface Scenario {
  name: string;
  transport: Transport;
  waiting?: Buffer[];
  maxMessage?: number;
  run(world: World): Promise<void>;
}

interface World {
  client(input: QueueClientInput, message?: Buffer): Promise<void>;
  /** Datagrams from one UDP peer, or bytes then FIN on one TCP connection. */
  raw(...chunks: Buffer[]): Promise<void>;
}

const send = { mode: 'send', maxMessage: 3000 } as const;
const receive = { mode: 'receive', maxMessage: 3000 } as const;

const scenarios: Scenario[] = [
  { name: 'tcp-send-ok', transport: 'tcp', run: (w) => w.client(send, MESSAGE) },
  { name: 'tcp-receive-ok', transport: 'tcp', waiting: [MESSAGE], run: (w) => w.client(receive) },
  { name: 'tcp-receive-empty', transport: 'tcp', run: (w) => w.client(receive) },
  { name: 'tcp-send-over-cap', transport: 'tcp', maxMessage: 10, run: (w) => w.client(send, MESSAGE) },
  { name: 'tcp-send-nothing', transport: 'tcp', run: (w) => w.raw() },
  { name: 'udp-send-ok', transport: 'udp', run: (w) => w.client(send, MESSAGE) },
  { name: 'udp-receive-ok', transport: 'udp', waiting: [MESSAGE], run: (w) => w.client(receive) },
  { name: 'udp-receive-empty', transport: 'udp', run: (w) => w.client(receive) },
  {
    name: 'udp-peer-session',
    transport: 'udp',
    maxMessage: 100,
    run: (w) => w.raw(Buffer.from('one'), Buffer.from('two'), Buffer.alloc(101), GET, GET, GET),
  },
];

async function record(scenario: Scenario): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'wirestate-queue-fixture-'));
  const { transport } = scenario;
  const queue = new MessageQueue(new MemoryKeeper(scenario.waiting ?? []));
  const common = {
    host: '127.0.0.1',
    port: 0,
    protocol: queueServer(queue, transport, { maxMessage: scenario.maxMessage ?? 3000 }),
    log: silent,
    recordDir: join(base, 'server'),
  };
  const server: ListeningServer =
    transport === 'tcp' ? await startTcpServer(common) : await startUdpServer({ ...common, idleMs: 100 });
  const port = server.address.port;
  const finished = new Promise<void>((resolve) => server.onFinished(() => resolve()));
  await scenario.run({
    client: async (input, message) => {
      const spec = queueClient(transport, input, message);
      const record = TraceWriter.open(join(base, 'client'), {
        protocol: queueProtocolName(transport),
        role: 'client',
        connection: 'client',
        peer: `127.0.0.1:${port}`,
        transport,
        input: spec.input,
      });
      if (transport === 'tcp')
        await runConnection(await connectTcp('127.0.0.1', port), spec, { id: 'client', log: silent, record }).finished;
      else await runUdpClient('127.0.0.1', port, spec, { log: silent, record });
    },
    raw: async (...chunks) => {
      if (transport === 'tcp') {
        const socket = await connectTcp('127.0.0.1', port);
        socket.end(Buffer.concat(chunks));
        socket.resume();
        await once(socket, 'close');
        return;
      }
      const socket = createSocket('udp4');
      for (const chunk of chunks) {
        await new Promise((sent) => socket.send(chunk, port, '127.0.0.1', sent));
        await new Promise((pause) => setTimeout(pause, 20));
      }
      socket.close();
    },
  });
  await finished;
  await server.close();
  await new Promise((settle) => setTimeout(settle, 50)); // trace files flushed
  for (const role of ['server', 'client']) {
    const files = await readdir(join(base, role)).catch(() => [] as string[]);
    if (files.length > 0) await rename(join(base, role, files[0]), join(OUT, `${scenario.name}.${role}.jsonl`));
  }
  await rm(base, { recursive: true, force: true });
}

async function main(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  for (const scenario of scenarios) await record(scenario);
  process.stdout.write(`${(await readdir(OUT)).length} traces in ${OUT}\n`);
}

void main();
