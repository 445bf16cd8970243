/**
 * `npm run fixtures`: records fixtures/traces/transfer/ from real runs over
 * loopback (real sockets, real folders, the stammer proxy for two of them),
 * one scenario per path of the two machines. The replay tests check every
 * trace here against a fresh machine; rerun this after changing the protocol.
 */
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { transferClient, transferServer } from '../machines/transfer';
import type { ClientInput } from '../machines/transfer/client';
import type { ServerFiles } from '../src/storage/file-store';
import { OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from '../machines/transfer/frames';
import { CAPABILITY, EXT_OP, HELLO_WAIT_MS, IMPLEMENTED, encodeHello } from '../machines/transfer/extension-frames';
import { encodeListRequest } from '../machines/transfer/list-frames';
import type { SessionOutcome } from '../src/engine/protocol';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { startTcpServer } from '../src/loop/tcp-server';
import { startProxy } from '../src/proxy/stammer-proxy';
import { FolderFiles } from '../src/storage/folder-files';
import { localFile } from '../src/storage/local-file';
import { keptDownloadTag } from '../src/storage/kept-download';
import { resumeNameFor } from '../src/storage/resume-names';
import { TraceWriter } from '../src/trace/trace-writer';

const OUT = join(__dirname, '..', '..', 'fixtures', 'traces', 'transfer');
const SPEECH = 'Four score and seven years ago our fathers brought forth on this continent a new nation.\n';
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

interface Scenario {
  name: string;
  /** Files in the server's root before the run. */
  files?: Record<string, string>;
  /** Files in the client's folder before the run, besides speech.txt and empty.txt. */
  localFiles?: Record<string, string>;
  /** The mtime of every file in the server's root, in ms (a resumed download checks it). */
  mtimeMs?: number;
  /** The server keeps interrupted uploads this many seconds and so offers `resume`. */
  resumeKeep?: number;
  maxUploadSize?: number;
  /** The extensions the server offers (default: all it implements). */
  capabilities?: number;
  diskFull?: boolean;
  viaProxy?: boolean;
  /** Does the run; returns how many connections the server will see. */
  run(world: World): Promise<number>;
  /** Which server connections to keep (by order), default all. */
  keepServer?: number[];
}

interface World {
  port: number;
  local: string;
  client(input: ClientInput, localName: string): Promise<SessionOutcome>;
  raw(...bytes: Buffer[]): Promise<Socket>;
}

const download = (serverName: string): ClientInput => ({ operation: 'download', serverName, size: 0 });
const upload = (serverName: string, size: number): ClientInput => ({ operation: 'upload', serverName, size });
/** The same, saying hello first as `wirestate client` does (docs/protocol-extensions.md). */
const HELLO = { hello: { capabilities: IMPLEMENTED, waitMs: HELLO_WAIT_MS } };
const LIST: ClientInput = { operation: 'list', serverName: '', size: 0, ...HELLO };

/** A resume's kept bytes: NULs, which is what a replay, knowing none of them, rebuilds them as. */
const KEPT = '\0'.repeat(20);
const MTIME_MS = 1_701_000_000_000;
const RESUMED = KEPT + SPEECH;
const UPLOAD_ID = '00112233445566778899aabbccddeeff';

const scenarios: Scenario[] = [
  {
    name: 'download-ok',
    files: { 'speech.txt': SPEECH },
    run: async (w) => (await w.client(download('speech.txt'), 'speech.txt'), 1),
  },
  {
    name: 'download-empty',
    files: { 'empty.txt': '' },
    run: async (w) => (await w.client(download('empty.txt'), 'empty.txt'), 1),
  },
  { name: 'download-missing', run: async (w) => (await w.client(download('missing.txt'), 'missing.txt'), 1) },
  { name: 'download-escaping-name', run: async (w) => (await w.client(download('../secret.txt'), 'secret.txt'), 1) },
  {
    name: 'download-busy',
    keepServer: [2],
    run: async (w) => {
      const holder = await w.raw(encodeRequest(OP.upload, 'busy.txt'), encodeUploadSize(1000));
      await received(holder, 2);
      await w.client(download('busy.txt'), 'busy.txt');
      holder.destroy();
      return 2;
    },
  },
  {
    name: 'download-cancelled-by-client',
    files: { 'speech.txt': SPEECH },
    run: async (w) => {
      const peer = await w.raw(encodeRequest(OP.download, 'speech.txt'));
      await received(peer, 9);
      peer.end(encodeStatus(STATUS.no));
      return 1;
    },
  },
  { name: 'upload-ok', run: async (w) => (await w.client(upload('new.txt', SPEECH.length), 'speech.txt'), 1) },
  { name: 'upload-empty', run: async (w) => (await w.client(upload('new-empty.txt', 0), 'empty.txt'), 1) },
  {
    name: 'upload-existing-name',
    files: { 'taken.txt': 'already here\n' },
    run: async (w) => (await w.client(upload('taken.txt', SPEECH.length), 'speech.txt'), 1),
  },
  {
    name: 'upload-busy',
    keepServer: [2],
    run: async (w) => {
      const holder = await w.raw(encodeRequest(OP.upload, 'busy.txt'), encodeUploadSize(1000));
      await received(holder, 2);
      await w.client(upload('busy.txt', SPEECH.length), 'speech.txt');
      holder.destroy();
      return 2;
    },
  },
  {
    name: 'upload-refused-size',
    maxUploadSize: 10,
    run: async (w) => (await w.client(upload('big.txt', SPEECH.length), 'speech.txt'), 1),
  },
  {
    name: 'upload-interrupted-by-client',
    run: async (w) => {
      const peer = await w.raw(encodeRequest(OP.upload, 'cut.txt'), encodeUploadSize(1000));
      await received(peer, 2);
      peer.write(Buffer.from(SPEECH));
      await new Promise((resolve) => setTimeout(resolve, 50));
      peer.resetAndDestroy();
      return 1;
    },
  },
  {
    name: 'upload-not-stored-by-server',
    diskFull: true,
    run: async (w) => (await w.client(upload('full.txt', SPEECH.length), 'speech.txt'), 1),
  },
  {
    name: 'proxy-download-ok',
    viaProxy: true,
    files: { 'speech.txt': SPEECH.repeat(20) },
    run: async (w) => (await w.client(download('speech.txt'), 'speech.txt'), 1),
  },
  {
    name: 'proxy-upload-ok',
    viaProxy: true,
    run: async (w) => (await w.client(upload('new.txt', SPEECH.length), 'speech.txt'), 1),
  },
  {
    name: 'ext-download-ok',
    files: { 'speech.txt': SPEECH },
    run: async (w) => (await w.client({ ...download('speech.txt'), ...HELLO }, 'speech.txt'), 1),
  },
  {
    name: 'ext-upload-ok',
    run: async (w) => (await w.client({ ...upload('new.txt', SPEECH.length), ...HELLO }, 'speech.txt'), 1),
  },
  {
    name: 'ext-proxy-upload-ok',
    viaProxy: true,
    run: async (w) => (await w.client({ ...upload('new.txt', SPEECH.length), ...HELLO }, 'speech.txt'), 1),
  },
  {
    name: 'resume-download-ok',
    files: { 'speech.txt': RESUMED },
    localFiles: { [resumeNameFor('speech.txt', keptDownloadTag(`${RESUMED.length}-${MTIME_MS}`, 'speech.txt'))]: KEPT },
    mtimeMs: MTIME_MS,
    resumeKeep: 600,
    run: async (w) => {
      const resume = { offset: KEPT.length, size: RESUMED.length, mtimeMs: MTIME_MS };
      return (await w.client({ ...download('speech.txt'), ...HELLO, resume }, 'speech.txt'), 1);
    },
  },
  {
    name: 'resume-download-changed',
    files: { 'speech.txt': RESUMED },
    mtimeMs: MTIME_MS,
    resumeKeep: 600,
    run: async (w) => {
      const resume = { offset: KEPT.length, size: RESUMED.length, mtimeMs: MTIME_MS - 1000 };
      return (await w.client({ ...download('speech.txt'), ...HELLO, resume }, 'speech.txt'), 1);
    },
  },
  {
    name: 'resume-upload-ok',
    files: { [resumeNameFor('new.txt', UPLOAD_ID)]: KEPT },
    localFiles: { 'resumed.txt': RESUMED },
    resumeKeep: 600,
    run: async (w) => {
      const input = { ...upload('new.txt', RESUMED.length), ...HELLO, uploadId: UPLOAD_ID };
      return (await w.client(input, 'resumed.txt'), 1);
    },
  },
  {
    name: 'ext-upload-digest-mismatch',
    run: async (w) => {
      const peer = await w.raw(
        encodeHello(IMPLEMENTED),
        encodeRequest(EXT_OP.upload, 'bent.txt'),
        encodeUploadSize(SPEECH.length),
        Buffer.from(SPEECH),
        Buffer.alloc(32),
      );
      await received(peer, 16 + 3);
      peer.end();
      return 1;
    },
  },
  {
    name: 'ext-list-ok',
    files: { 'speech.txt': SPEECH, 'with space.txt': '', 'ünïcødé.txt': 'x', '.x.1-0.wirestate-part': 'hidden' },
    run: async (w) => (await w.client(LIST, 'listing'), 1),
  },
  {
    name: 'ext-list-not-agreed',
    capabilities: CAPABILITY.stored | CAPABILITY.sha256,
    run: async (w) => (await w.client(LIST, 'listing'), 1),
  },
  {
    name: 'ext-list-without-hello',
    run: async (w) => {
      const peer = await w.raw(encodeListRequest());
      await new Promise((resolve) => peer.once('close', resolve));
      return 1;
    },
  },
];

async function record(scenario: Scenario): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), `wirestate-fixture-${scenario.name}-`));
  try {
    const root = join(base, 'root');
    const local = join(base, 'local');
    await mkdir(local, { recursive: true });
    await writeFile(join(local, 'speech.txt'), SPEECH);
    await writeFile(join(local, 'empty.txt'), '');
    const folder = await FolderFiles.open(root);
    for (const [name, content] of Object.entries(scenario.files ?? {})) {
      await writeFile(join(root, name), content);
      if (scenario.mtimeMs !== undefined) await utimes(join(root, name), new Date(), new Date(scenario.mtimeMs));
    }
    for (const [name, content] of Object.entries(scenario.localFiles ?? {}))
      await writeFile(join(local, name), content);
    const server = await startTcpServer({
      host: '127.0.0.1',
      port: 0,
      protocol: transferServer(scenario.diskFull ? diskFull(folder) : folder, {
        maxUploadSize: scenario.maxUploadSize ?? Number.MAX_SAFE_INTEGER,
        resumeKeepSeconds: scenario.resumeKeep,
        capabilities: scenario.capabilities,
      }),
      log: silent,
      recordDir: join(base, 'server'),
    });
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
    const port = proxy?.address.port ?? server.address.port;
    let finished = 0;
    server.onFinished(() => finished++);
    const world: World = {
      port,
      local,
      client: async (input, localName) => {
        const socket = await connectTcp('127.0.0.1', port);
        const spec = transferClient(localFile(join(local, localName), input.serverName), input);
        const record = TraceWriter.open(join(base, 'client'), {
          protocol: 'transfer',
          role: 'client',
          connection: 'client',
          peer: `127.0.0.1:${port}`,
          input: spec.input,
        });
        return runConnection(socket, spec, { id: 'client', log: silent, record }).finished;
      },
      raw: async (...bytes) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await once(socket, 'connect');
        for (const chunk of bytes) socket.write(chunk);
        return socket;
      },
    };
    const connections = await scenario.run(world);
    await waitFor(() => finished >= connections, `${scenario.name}: ${connections} connections to close`);
    await proxy?.close();
    await server.close();

    const serverTraces = (await readdir(join(base, 'server'))).sort();
    const keep = scenario.keepServer ?? serverTraces.map((_, index) => index + 1);
    for (const number of keep)
      await copyFile(join(base, 'server', serverTraces[number - 1]), join(OUT, `${scenario.name}.server.jsonl`));
    const clientTraces = await readdir(join(base, 'client')).catch(() => []);
    for (const file of clientTraces)
      await copyFile(join(base, 'client', file), join(OUT, `${scenario.name}.client.jsonl`));
    console.log(`${scenario.name}: ${keep.length} server trace(s), ${clientTraces.length} client trace(s)`);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** A folder whose every commit fails as on a full disk: the server must reset, not claim success. */
function diskFull(files: ServerFiles): ServerFiles {
  return {
    lookupDownload: (name, owner) => files.lookupDownload(name, owner),
    reserveUpload: (name, owner) => files.reserveUpload(name, owner),
    hasRoomFor: (ref, size) => files.hasRoomFor(ref, size),
    release: (owner) => files.release(owner),
    read: (ref, size) => files.read(ref, size),
    listFiles: () => files.listFiles(),
    receive: (ref) => {
      const file = files.receive(ref);
      return {
        ...file,
        commit: async () => {
          file.abort();
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        },
      };
    },
  };
}

function received(socket: Socket, count: number): Promise<void> {
  let length = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length < count) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every scenario, afresh; or, given names (`node dist/scripts/record-fixtures.js ext-list-ok`), only those, the rest kept. */
async function main(names = process.argv.slice(2)): Promise<void> {
  if (names.length === 0) await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  for (const scenario of scenarios) if (names.length === 0 || names.includes(scenario.name)) await record(scenario);
  console.log(`traces written to ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(`recording fixtures failed: ${error instanceof Error ? String(error.stack) : String(error)}`);
  process.exit(1);
});
