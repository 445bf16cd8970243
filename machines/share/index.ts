/** The share protocol (seed 004) as the loop runs it: a server per connection, a client per run, and its trace support. */
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { readLines } from '../../src/engine/text-request';
import { join } from 'node:path';
import { createAtomicFile } from '../../src/storage/atomic-file';
import { MemoryFiles } from '../../src/storage/memory-files';
import { readOnly } from '../../src/storage/read-only-files';
import { readRange } from '../../src/storage/read-range';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { textTraceSupport } from '../../src/trace/text-trace-support';
import { chunkBytes, tracedBytes, type Trace } from '../../src/trace/trace-format';
import { expectedFromTrace } from '../../src/trace/trace-replay';
import { shareClientMachine, type ShareClientInput, type ShareLocalFile } from './client';
import { shareClientActors } from './client-actors';
import { CANCEL, PASS, encodeShareRequest, parseListing, parseShareRequest } from './codec';
import { ShareReplyReader } from './reply-reader';
import { shareServerMachine, type ShareFiles, type ShareServerInput } from './server';
import { shareServerActors } from './server-actors';
import { SAMPLE_FILE, SAMPLE_FOLDER, type FixtureScenario } from '../fixture-scenario';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { SHARE_MAX_REQUEST, SHARE_PORT } from './codec';
import { extended } from '../../src/engine/extended';

export type ShareServerOptions = Omit<ShareServerInput, 'owner'>;

export function shareServer(files: ShareFiles, options: ShareServerOptions): StreamProtocol {
  const logic = shareServerMachine.provide({ actors: shareServerActors(files) });
  return {
    name: 'share',
    accept: (connectionId) => ({
      logic,
      input: extended(options, { owner: connectionId }),
      decoder: new TextRequestReader(1, options.maxRequest),
      release: () => files.release(connectionId),
    }),
  };
}

export function shareClient(local: ShareLocalFile, input: ShareClientInput): ConnectionSpec {
  return {
    logic: shareClientMachine.provide({ actors: shareClientActors(local) }),
    input,
    decoder: new ShareReplyReader(input.command === 'list' ? 'listing' : 'answer'),
  };
}

/**
 * The bytes a recorded server had read when it took its request as complete (they may go past a newline that ended
 * it); undefined when it never did (the client reset or went silent first), and so never capped in a replay.
 */
function recordedRequest(trace: Trace): Buffer | undefined {
  const chunks: Buffer[] = [];
  for (const entry of trace.entries) {
    if ('state' in entry && entry.state === 'check_request') return Buffer.concat(chunks);
    if ('in' in entry) chunks.push(chunkBytes(entry));
  }
  return undefined;
}

/**
 * What `wirestate replay`, the fixture tests and the inspector need. A server
 * trace is replayed against a folder rebuilt from it: the file a `get` was
 * answered `pass` with, the name a `put` was cancelled for (or a read-only
 * folder, when that was why), and the names a `list` sent (as empty files). A replay lets no time pass between the
 * peer's bytes, so where the recorded request ended at a pause (the original client sends no terminator) the
 * replayed one ends at the size cap, set to the bytes recorded by then (no cap where it never ended); and
 * `get` sends its file without the gap after `pass`, which changes no byte.
 */
export const shareTraceSupport = () =>
  textTraceSupport({
    server: (trace) => {
      const { owner: _owner, ...options } = trace.header.input as ShareServerInput;
      const recorded = recordedRequest(trace);
      const maxRequest = recorded ? Math.min(options.maxRequest, recorded.length) : options.maxRequest;
      const request = parseShareRequest(readLines((recorded ?? Buffer.alloc(0)).subarray(0, maxRequest), 1).lines[0]);
      const sent = tracedBytes(trace, 'out');
      const files: Record<string, Buffer> = {};
      if (request.kind === 'get' && sent.subarray(0, PASS.length).equals(PASS))
        files[request.name] = sent.subarray(PASS.length);
      if (request.kind === 'put' && sent.equals(CANCEL)) files[request.name] = Buffer.alloc(0);
      if (request.kind === 'list') for (const name of parseListing(sent.toString())) files[name] = Buffer.alloc(0);
      const readOnlyServer = expectedFromTrace(trace).outcome?.code === 'storage.read_only';
      const world = readOnlyServer ? readOnly(new MemoryFiles(files)) : new MemoryFiles(files);
      return shareServer(world, { ...options, maxRequest, passGapMs: 0 }).accept(trace.header.connection);
    },
    client: (trace) => {
      const input = trace.header.input as ShareClientInput;
      const request = encodeShareRequest(input.command, input.name);
      return shareClient(memoryLocalFile(tracedBytes(trace, 'out').subarray(request.length)), input);
    },
    machines: { server: shareServerMachine, client: shareClientMachine },
    inputs: {
      server: { owner: 'string', maxRequest: 'number' },
      client: { command: 'string', name: 'string', size: 'number', maxListing: 'number' },
    },
  });

const fixtureServer = (files: ShareFiles) => shareServer(files, { maxRequest: 2048 });

/** A session of the client's: `command` for `name`, a file of the client's folder (`put`) or one it writes (`get`). */
const fixture = (name: string, command: ShareClientInput['command'], file: string): FixtureScenario => ({
  name,
  files: SAMPLE_FOLDER,
  local: { 'upload.txt': SAMPLE_FILE, 'speech.txt': SAMPLE_FILE },
  server: fixtureServer,
  run: (peer) => {
    const local = join(peer.local, file);
    return peer.client(
      shareClient(
        { read: (bytes) => readRange(local, bytes), receive: () => createAtomicFile(local, { noClobber: false }) },
        { command, name: file, size: command === 'put' ? SAMPLE_FILE.length : 0, maxListing: 1 << 20 },
      ),
    );
  },
});

/** The sessions `npm run fixtures` records: each command's paths, and a raw peer's unknown request. */
const fixtures: FixtureScenario[] = [
  fixture('put-ok', 'put', 'upload.txt'),
  fixture('put-existing-name', 'put', 'speech.txt'),
  fixture('get-ok', 'get', 'speech.txt'),
  fixture('get-missing', 'get', 'nope.txt'),
  fixture('list', 'list', ''),
  {
    name: 'unknown-request',
    files: SAMPLE_FOLDER,
    server: fixtureServer,
    run: (peer) => peer.send('delete,speech.txt\n'),
  },
];

export const shareProtocol: ProtocolDescriptor = {
  name: 'share',
  servers: [
    {
      transport: 'tcp',
      port: SHARE_PORT,
      servesFolder: true,
      protocol: ({ files, idleTimeoutMs, quietMs, maxUploadSize }) =>
        shareServer(files, { idleTimeoutMs, quietMs, maxRequest: SHARE_MAX_REQUEST, maxUploadSize }),
    },
  ],
  traces: { share: shareTraceSupport() },
  fixtures,
};
