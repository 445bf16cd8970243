/**
 * Records every fixture scenario of the given protocols (their descriptors'
 * `fixtures`) over loopback: a real server (with its trace) serving a fresh
 * temporary folder, the scenario's client side against it (its client's trace
 * too), then both traces kept under `<out>/<folder>/<name>.server|client.jsonl`.
 * A kept file that says the same as the new recording (trace-meaning.ts) is
 * left as it is, so re-recording an unchanged protocol changes no byte; files
 * in a recorded folder that no scenario records are removed.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import winston from 'winston';
import { FILE_TIME, type FixturePeer, type FixtureScenario, type RawConnection } from '../machines/fixture-scenario';
import type { ProtocolDescriptor } from '../machines/protocol-descriptor';
import type { ListeningServer } from '../src/loop/listening-server';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { startTcpServer } from '../src/loop/tcp-server';
import { runUdpClient } from '../src/loop/udp-connect';
import { startUdpServer } from '../src/loop/udp-server';
import { startProxy } from '../src/proxy/stammer-proxy';
import { FolderFiles } from '../src/storage/folder-files';
import { parseTrace } from '../src/trace/trace-format';
import { traceMeaning } from '../src/trace/trace-meaning';
import { TraceWriter } from '../src/trace/trace-writer';

/** A UDP peer quiet this long is over. */
const UDP_IDLE_MS = 100;
/** The most a scenario's client side may take, and then its server's connections to end. */
const SCENARIO_MS = 10_000;
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

/** What became of each fixture file, by its path under the output folder. */
export interface RecordingReport {
  kept: string[];
  written: string[];
  removed: string[];
}

export async function recordFixtures(protocols: ProtocolDescriptor[], out: string): Promise<RecordingReport> {
  const report: RecordingReport = { kept: [], written: [], removed: [] };
  const recorded = new Set<string>();
  for (const protocol of protocols)
    for (const scenario of protocol.fixtures) {
      const folder = scenario.folder ?? protocol.name;
      for (const [role, text] of await record(scenario)) {
        const file = join(folder, `${scenario.name}.${role}.jsonl`);
        recorded.add(file);
        ((await keepOrWrite(join(out, file), text)) ? report.kept : report.written).push(file);
      }
    }
  for (const folder of new Set([...recorded].map((file) => dirname(file))))
    for (const name of await readdir(join(out, folder))) {
      const file = join(folder, name);
      if (recorded.has(file)) continue;
      await rm(join(out, file));
      report.removed.push(file);
    }
  return report;
}

/** Writes `text` to `path` unless the trace there says the same; true when it was kept. */
async function keepOrWrite(path: string, text: string): Promise<boolean> {
  const kept = await readFile(path, 'utf8').catch(() => undefined);
  if (kept !== undefined && traceMeaning(parseTrace(kept)) === traceMeaning(parseTrace(text))) return true;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return false;
}

/** Plays one scenario; returns the server's trace and, if one was traced, the client's. */
async function record(scenario: FixtureScenario): Promise<[role: string, text: string][]> {
  const base = await mkdtemp(join(tmpdir(), `wirestate-fixture-${scenario.name}-`));
  try {
    const root = join(base, 'root');
    const local = join(base, 'local');
    await placeFiles(root, scenario.files ?? {});
    await placeFiles(local, scenario.local ?? {});
    const transport = scenario.transport ?? 'tcp';
    const listening = {
      host: '127.0.0.1',
      port: 0,
      protocol: scenario.server(await FolderFiles.open(root)),
      log: silent,
      recordDir: join(base, 'server'),
    };
    const server: ListeningServer =
      transport === 'tcp'
        ? await startTcpServer(listening)
        : await startUdpServer({ ...listening, idleMs: UDP_IDLE_MS });
    const proxy = scenario.viaProxy
      ? await startProxy({
          host: '127.0.0.1',
          port: 0,
          upstream: { host: '127.0.0.1', port: server.address.port },
          maxFragment: 7,
          maxDelayMs: 1,
          seed: 2,
          log: silent,
        })
      : undefined;
    let finished = 0;
    server.onFinished(() => finished++);
    try {
      const port = proxy?.address.port ?? server.address.port;
      const peer = fixturePeer({
        port,
        local,
        transport,
        protocol: listening.protocol.name,
        traces: join(base, 'client'),
      });
      await within(scenario.run(peer), `${scenario.name}: its client side`);
      const connections = scenario.connections ?? 1;
      await waitUntil(() => finished >= connections, `${scenario.name}: ${connections} connection(s) to end`);
    } finally {
      await proxy?.close();
      await server.close();
    }
    const serverTraces = await tracesInOrder(join(base, 'server'));
    const kept = serverTraces[(scenario.serverTrace ?? 1) - 1];
    if (kept === undefined) throw new Error(`${scenario.name}: no server trace ${scenario.serverTrace ?? 1}`);
    const clientTraces = await tracesInOrder(join(base, 'client'));
    if (clientTraces.length > 1) throw new Error(`${scenario.name}: ${clientTraces.length} client traces, one at most`);
    return [['server', kept], ...clientTraces.map((text): [string, string] => ['client', text])];
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function placeFiles(folder: string, files: Record<string, string | Buffer>): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const at = join(folder, path);
    if (path.endsWith('/')) {
      await mkdir(at, { recursive: true });
      continue;
    }
    await mkdir(dirname(at), { recursive: true });
    await writeFile(at, content);
    await utimes(at, FILE_TIME, FILE_TIME);
  }
}

function fixturePeer(at: {
  port: number;
  local: string;
  transport: 'tcp' | 'udp';
  protocol: string;
  traces: string;
}): FixturePeer {
  const { port, transport } = at;
  const peer: FixturePeer = {
    local: at.local,
    client: async (spec, options = {}) => {
      const record =
        options.traced === false
          ? undefined
          : TraceWriter.open(
              at.traces,
              {
                protocol: at.protocol,
                role: 'client',
                connection: 'client',
                peer: `127.0.0.1:${port}`,
                transport,
                input: spec.input,
              },
              () => undefined,
            );
      const running = { id: 'client', log: silent, record, watch: options.watch };
      return transport === 'tcp'
        ? runConnection(await connectTcp('127.0.0.1', port), spec, running).finished
        : runUdpClient('127.0.0.1', port, spec, running);
    },
    connect: async (...bytes) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      for (const chunk of bytes) socket.write(chunk);
      return rawConnection(socket);
    },
    send: async (bytes) => (await peer.connect()).end(Buffer.from(bytes)),
    datagrams: async (...chunks) => {
      const socket = createSocket('udp4');
      for (const chunk of chunks) {
        await new Promise((sent) => socket.send(chunk, port, '127.0.0.1', sent));
        await new Promise((pause) => setTimeout(pause, 20));
      }
      socket.close();
    },
  };
  return peer;
}

function rawConnection(socket: Socket): RawConnection {
  let receivedBytes = 0;
  /** Not `once(socket, 'close')`: that rejects on the reset a server may close with. */
  const closed = new Promise<void>((settle) => socket.once('close', () => settle()));
  socket.on('data', (chunk: Buffer) => (receivedBytes += chunk.length));
  return {
    received: (count) => waitUntil(() => receivedBytes >= count, `${count} bytes from the server`),
    write: (bytes) => socket.write(bytes),
    end: async (bytes) => {
      socket.end(bytes ?? Buffer.alloc(0));
      await closed;
    },
    closed: () => closed,
    destroy: () => socket.destroy(),
    reset: () => socket.resetAndDestroy(),
  };
}

/** The trace files in `folder` in the order their connections opened (none if there is no folder). */
async function tracesInOrder(folder: string): Promise<string[]> {
  const texts = await Promise.all(
    (await readdir(folder).catch(() => [])).map((name) => readFile(join(folder, name), 'utf8')),
  );
  const opened = (text: string) => {
    const { started, connection } = parseTrace(text).header;
    return [started, Number(connection.replace(/\D/g, ''))] as const;
  };
  return texts.sort((a, b) => {
    const [startedA, numberA] = opened(a);
    const [startedB, numberB] = opened(b);
    return startedA.localeCompare(startedB) || numberA - numberB;
  });
}

/** Polls `condition` every 10 ms until it holds, for SCENARIO_MS at most. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + SCENARIO_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((tick) => setTimeout(tick, 10));
  }
}

/** `work`, or an error naming `what` once SCENARIO_MS have passed. */
async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SCENARIO_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
