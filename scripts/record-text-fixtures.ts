/**
 * Records fixtures/traces/{upper,sum,blocks,share,ardei}/ from real runs over
 * loopback (`npm run fixtures`): the server and client machines of the
 * protocols with text requests, one scenario per path. The fixture tests
 * replay each trace against a fresh machine.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import type { ActorRefFrom } from 'xstate';
import { ardeiAdvancedClient, ardeiAdvancedServer, ardeiTcpClient, ardeiTcpServer } from '../machines/ardei';
import { blocksClient, blocksServer } from '../machines/blocks';
import { shareClient, shareServer } from '../machines/share';
import { ardeiAdvancedClientMachine } from '../machines/ardei/advanced-client';
import type { ShareClientInput } from '../machines/share/client';
import { sumClient, sumServer } from '../machines/sum';
import { upperClient, upperServer } from '../machines/upper';
import type { ConnectionSpec, StreamProtocol } from '../src/engine/protocol';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { startTcpServer } from '../src/loop/tcp-server';
import { createAtomicFile } from '../src/storage/atomic-file';
import { roomIn } from '../src/storage/free-space';
import { downloadFolder } from '../src/storage/download-folder';
import { FolderFiles } from '../src/storage/folder-files';
import { readRange } from '../src/storage/read-range';
import { TraceWriter } from '../src/trace/trace-writer';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'traces');
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
const FILE = Buffer.from(Array.from({ length: 3000 }, (_, i) => 32 + (i % 95)));
const text = { maxRequest: 2048 };

interface World {
  root: string;
  client(spec: ConnectionSpec): Promise<void>;
  /** The advanced client, given `commands` one at a time as its prompt would. */
  advanced(commands: string[]): Promise<void>;
  /** Bytes then FIN on one connection. */
  raw(bytes: string): Promise<void>;
}

interface Scenario {
  protocol: 'upper' | 'sum' | 'blocks' | 'share' | 'ardei' | 'ardei-advanced';
  name: string;
  server(root: FolderFiles): StreamProtocol;
  run(world: World): Promise<void>;
}

const upper = (name: string, run: Scenario['run']): Scenario => ({
  protocol: 'upper',
  name,
  server: () => upperServer(text),
  run,
});
const sum = (name: string, run: Scenario['run']): Scenario => ({
  protocol: 'sum',
  name,
  server: () => sumServer({ serverName: 'Server of wirestate', serverNumber: 17, ...text }),
  run,
});
const blocks = (name: string, serverName: string): Scenario => ({
  protocol: 'blocks',
  name,
  server: (files) => blocksServer(files, text),
  run: (w) =>
    w.client(
      blocksClient(
        { receive: () => createAtomicFile(join(w.root, 'received'), { noClobber: false }), hasRoomFor: roomIn(w.root) },
        { serverName },
      ),
    ),
});

const share = (name: string, command: ShareClientInput['command'], file: string): Scenario => ({
  protocol: 'share',
  name,
  server: (files) => shareServer(files, text),
  run: (w) => {
    const local = join(w.root, 'local', file);
    const size = command === 'put' ? FILE.length : 0;
    return w.client(
      shareClient(
        { read: (bytes) => readRange(local, bytes), receive: () => createAtomicFile(local, { noClobber: false }) },
        { command, name: file, size, maxListing: 1 << 20 },
      ),
    );
  },
});

/**
 * Ardei over TCP. Replay has no clock, so nothing here may wait on one: the request ends with a newline
 * (as a person types it; the original client's bare request ends after the quiet period), the server
 * sends the data right after file_prepared, and streams (a wait per segment) are tested in machines.test.ts.
 */
const ardei = (name: string, request: string): Scenario => ({
  protocol: 'ardei',
  name,
  server: () => ardeiTcpServer({ ...text, preparedGapMs: 0 }),
  run: (w) => w.client(ardeiTcpClient({ request: `${request}\n`, keep: 65536 })),
});

const scenarios: Scenario[] = [
  upper('ok', (w) => w.client(upperClient({ lines: ['Hello World!'], maxReply: 8192 }))),
  upper('no-newline-then-end', (w) => w.raw('ended without a newline')),
  upper('crlf', (w) => w.raw('telnet style\r\n')),
  sum('ok', (w) => w.client(sumClient({ lines: ['Alice', '42'], maxReply: 1024 }))),
  sum('out-of-range-stops', (w) => w.client(sumClient({ lines: ['Eve', '0'], maxReply: 1024 }))),
  sum('not-a-number', (w) => w.raw('Eve\nlots\n')),
  blocks('ok', 'speech.txt'),
  blocks('empty-file', 'empty.txt'),
  blocks('missing', 'nope.txt'),
  blocks('escaping-name', '../secret.txt'),
  share('put-ok', 'put', 'upload.txt'),
  share('put-existing-name', 'put', 'speech.txt'),
  share('get-ok', 'get', 'speech.txt'),
  share('get-missing', 'get', 'nope.txt'),
  share('list', 'list', ''),
  ardei('echo', 'Hello ardei'),
  ardei('file', '3000'),
  ardei('over-limit', '123456790'),
  ardei('negative', '-5'),
  {
    protocol: 'ardei-advanced',
    name: 'session',
    server: (files) => ardeiAdvancedServer(files, text),
    run: (w) => w.advanced(['ls', 'chdir docs', 'ls', 'dl a.txt', 'chdir ../..', 'dl nope', 'chdir nowhere', 'bogus']),
  },
  {
    protocol: 'share',
    name: 'unknown-request',
    server: (files) => shareServer(files, text),
    run: (w) => w.raw('delete,speech.txt\n'),
  },
];

async function record(scenario: Scenario): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'wirestate-lab-fixture-'));
  const root = join(base, 'root');
  await mkdir(root);
  await writeFile(join(root, 'speech.txt'), FILE);
  await writeFile(join(root, 'empty.txt'), '');
  await mkdir(join(root, 'docs', 'inner'), { recursive: true });
  await writeFile(join(root, 'docs', 'a.txt'), FILE);
  await mkdir(join(base, 'local'));
  await writeFile(join(base, 'local', 'upload.txt'), FILE);
  await writeFile(join(base, 'local', 'speech.txt'), FILE);
  const server = await startTcpServer({
    host: '127.0.0.1',
    port: 0,
    protocol: scenario.server(await FolderFiles.open(root)),
    log: silent,
    recordDir: join(base, 'server'),
  });
  const port = server.address.port;
  const finished = new Promise<void>((resolve) => server.onFinished(() => resolve()));
  await scenario.run({
    root: base,
    client: async (spec) => {
      const record = TraceWriter.open(join(base, 'client'), {
        protocol: scenario.protocol,
        role: 'client',
        connection: 'client',
        peer: `127.0.0.1:${port}`,
        transport: 'tcp',
        input: spec.input,
      });
      await runConnection(await connectTcp('127.0.0.1', port), spec, { id: 'client', log: silent, record }).finished;
    },
    advanced: async (commands) => {
      const spec = ardeiAdvancedClient(downloadFolder(base), {});
      let given = 0;
      const { finished } = runConnection(await connectTcp('127.0.0.1', port), spec, {
        id: 'client',
        log: silent,
        watch: (actor: ActorRefFrom<typeof ardeiAdvancedClientMachine>) =>
          actor.subscribe((snapshot) => {
            if (snapshot.status === 'active' && snapshot.matches('ready') && snapshot.context.replies === given)
              actor.send({ type: 'user.command', text: commands[given++] ?? 'quit' });
          }),
      });
      await finished;
    },
    raw: async (bytes) => {
      const socket = await connectTcp('127.0.0.1', port);
      socket.end(bytes);
      socket.resume();
      await once(socket, 'close');
    },
  });
  await finished;
  await server.close();
  await new Promise((settle) => setTimeout(settle, 50)); // trace files flushed
  const out = join(FIXTURES, scenario.protocol);
  await mkdir(out, { recursive: true });
  for (const role of ['server', 'client']) {
    const files = await readdir(join(base, role)).catch(() => [] as string[]);
    if (files.length > 0) await rename(join(base, role, files[0]), join(out, `${scenario.name}.${role}.jsonl`));
  }
  await rm(base, { recursive: true, force: true });
}

async function main(): Promise<void> {
  for (const protocol of new Set(scenarios.map((scenario) => scenario.protocol)))
    await rm(join(FIXTURES, protocol), { recursive: true, force: true });
  for (const scenario of scenarios) await record(scenario);
  for (const protocol of new Set(scenarios.map((scenario) => scenario.protocol))) {
    process.stdout.write(`${(await readdir(join(FIXTURES, protocol))).length} traces in ${join(FIXTURES, protocol)}\n`);
  }
}

void main();
