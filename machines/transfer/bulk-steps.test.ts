/**
 * The bulk phase does not step the machine per chunk: the frame pump hands an upload's chunks to the
 * sink, and a download's source writes its chunks onto the wire itself, each actor counting the bytes and
 * reporting coarsely. The machine still ends with every byte counted.
 */
import { SessionObservers } from '../../src/engine/session-observers';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, waitFor, type InspectionEvent } from 'xstate';
import { reportBulkBytes } from '../../src/engine/bulk-actors';
import { READ_CHUNK } from '../../src/engine/file-actors';
import { FramePump } from '../../src/engine/frame-pump';
import { onWireCommands } from '../../src/engine/wire-commands';
import { FolderFiles } from '../../src/storage/folder-files';
import { MemoryFiles } from '../../src/storage/memory-files';
import { DOWNLOAD_REPLY_SIZE, OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { transferServer } from '.';

const CHUNKS = 1000;
const CHUNK = 1024;

/** The connection's actor, the events its machine took, and a pump that delivers as the loop does. */
/** A transfer server's connection, typed as its machine (`ConnectionSpec` erases the logic's type). */
type ServerSpec = ReturnType<ReturnType<typeof transferServer>['accept']>;

function started(spec: ServerSpec) {
  const machineEvents: string[] = [];
  let self: unknown;
  const actor = createActor(spec.logic, {
    input: spec.input,
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.actorRef === self) machineEvents.push(event.event.type);
    },
  });
  self = actor;
  const pump = new FramePump(actor, spec.decoder);
  // As the loop does: a state that reads again after an async check gets the frames waiting for it.
  actor.subscribe({ next: () => queueMicrotask(() => pump.run()), error: () => undefined });
  actor.on('wire.flush', () => queueMicrotask(() => actor.send({ type: 'wire.flushed' })));
  return { actor, pump, machineEvents };
}

it("hands an upload's chunks to the sink without stepping the server's machine per chunk", async () => {
  const files = new MemoryFiles();
  const { actor, pump, machineEvents } = started(
    transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER }).accept('c1'),
  );
  actor.start();
  pump.push(Buffer.concat([encodeRequest(OP.upload, 'many.bin'), encodeUploadSize(CHUNKS * CHUNK)]));
  await waitFor(actor, (snapshot) => snapshot.matches({ uploading: 'receiving' }));
  const content = Buffer.alloc(CHUNKS * CHUNK);
  for (let i = 0; i < CHUNKS; i++) {
    content.fill(i % 251, i * CHUNK, (i + 1) * CHUNK);
    pump.push(content.subarray(i * CHUNK, (i + 1) * CHUNK));
  }
  pump.end();
  const done = await waitFor(actor, (snapshot) => snapshot.status === 'done');

  expect(done.output).toMatchObject({ ok: true, outcome: 'uploaded', bytes: CHUNKS * CHUNK });
  expect(files.files.get('many.bin')?.equals(content)).toBe(true);
  expect(machineEvents.filter((type) => type === 'frame.data')).toEqual([]);
  expect(machineEvents.length).toBeLessThan(20);
});

it("brings the machine's count up to the bytes the sink took when told to report (a client's Ctrl-C line says it)", async () => {
  const { actor, pump } = started(
    transferServer(new MemoryFiles(), { maxUploadSize: Number.MAX_SAFE_INTEGER }).accept('c1'),
  );
  actor.start();
  pump.push(Buffer.concat([encodeRequest(OP.upload, 'some.bin'), encodeUploadSize(CHUNKS * CHUNK)]));
  await waitFor(actor, (snapshot) => snapshot.matches({ uploading: 'receiving' }));
  for (let i = 0; i < 10; i++) pump.push(Buffer.alloc(CHUNK, i));
  const counted = () => (actor.getSnapshot() as { context: { bytes: number } }).context.bytes;
  // The sink reports on its own every 250 ms at the soonest: none of these bytes has been told yet.
  expect(counted()).toBe(0);
  reportBulkBytes(actor);
  expect(counted()).toBe(10 * CHUNK);
  actor.stop();
});

describe('a download of a file on disk', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-bulk-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('goes out through a few reused buffers, without stepping the machine per chunk', async () => {
    const content = Buffer.alloc(40 * READ_CHUNK + 123);
    for (let i = 0; i < content.length; i++) content[i] = (i >> 12) % 251;
    await writeFile(join(base, 'big.bin'), content);
    const files = await FolderFiles.open(base);
    const { actor, pump, machineEvents } = started(
      transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER }).accept('c1'),
    );
    const sent: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    onWireCommands(new SessionObservers(actor), (command) => {
      if (command.type !== 'wire.write') return;
      sent.push(Buffer.from(command.bytes));
      buffers.add(command.bytes.buffer);
      // The kernel takes the bytes a moment later, as a socket's write callback says.
      if (command.written) setImmediate(command.written);
    });
    actor.start();
    pump.push(encodeRequest(OP.download, 'big.bin'));
    await waitFor(actor, (snapshot) => snapshot.matches('check_download_confirmation'));
    pump.push(encodeStatus(STATUS.yes));
    const done = await waitFor(actor, (snapshot) => snapshot.status === 'done');

    expect(done.output).toMatchObject({ ok: true, outcome: 'downloaded', bytes: content.length });
    expect(Buffer.concat(sent).subarray(DOWNLOAD_REPLY_SIZE).equals(content)).toBe(true);
    expect(buffers.size).toBeLessThanOrEqual(4 + 1); // the source's few, and the reply's
    expect(machineEvents.length).toBeLessThan(20);
  });
});

it("steps the machine once per protocol step for a download read in one go: the lookup within the request's, the count on the end", async () => {
  const files = new MemoryFiles();
  files.files.set('small.bin', Buffer.alloc(1024, 7));
  const { actor, pump, machineEvents } = started(
    transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER }).accept('c1'),
  );
  onWireCommands(
    new SessionObservers(actor),
    (command) => command.type === 'wire.write' && command.written && setImmediate(command.written),
  );
  actor.start();
  pump.push(encodeRequest(OP.download, 'small.bin'));
  await waitFor(actor, (snapshot) => snapshot.matches('check_download_confirmation'));
  pump.push(encodeStatus(STATUS.yes));
  const done = await waitFor(actor, (snapshot) => snapshot.status === 'done');

  expect(done.output).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 1024 });
  expect(machineEvents).toEqual(['xstate.init', 'frame.request', 'wire.flushed', 'frame.confirm', 'file.done']);
});
