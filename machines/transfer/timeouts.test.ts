/**
 * Idle timeouts are machine delays: a state waiting for the peer fails after
 * the idle timeout with nothing from it, while a transfer that keeps moving is
 * never cut. Time is simulated (replay's `wait`), so these tests do not sleep.
 */
import { SessionObservers } from '../../src/engine/session-observers';
import { SimulatedClock, createActor, waitFor } from 'xstate';
import { READ_CHUNK } from '../../src/engine/file-actors';
import { FramePump } from '../../src/engine/frame-pump';
import { PEER_ACKNOWLEDGES, PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { onWireCommands } from '../../src/engine/wire-commands';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { DOWNLOAD_REPLY_SIZE, OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { transferClient, transferServer } from '.';

const IDLE = 30_000;
const serve = (files: MemoryFiles, inputs: ReplayInput[]) =>
  replay(transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, idleTimeoutMs: IDLE }).accept('c1'), inputs);

describe('server idle timeout', () => {
  it('cuts a client that sends nothing, exactly at the timeout', async () => {
    expect((await serve(new MemoryFiles(), [{ wait: IDLE - 1 }])).outcome).toBeUndefined();
    const result = await serve(new MemoryFiles(), [{ wait: IDLE }]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'timed_out' });
    expect(result.states).toEqual(['client_connect', 'failed']);
    expect(result.closed).toBe('reset');
  });

  it('cuts a client that sends its request one byte per second', async () => {
    const request = encodeRequest(OP.download, 'a');
    const trickle = [...request.subarray(0, 40)].flatMap((byte): ReplayInput[] => [Buffer.of(byte), { wait: 1000 }]);
    const result = await serve(new MemoryFiles({ a: 'x' }), trickle);
    expect(result.outcome).toMatchObject({ outcome: 'timed_out' });
    expect(result.sent.length).toBe(0);
  });

  it('never cuts an upload that keeps moving, however long it takes', async () => {
    const files = new MemoryFiles();
    const pieces = Array.from({ length: 10 }, () => Buffer.alloc(1000, 7));
    const result = await serve(files, [
      encodeRequest(OP.upload, 'slow.bin'),
      encodeUploadSize(10_000),
      ...pieces.flatMap((piece): ReplayInput[] => [{ wait: IDLE - 1000 }, piece]),
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded', bytes: 10_000 });
    expect(files.files.get('slow.bin')?.length).toBe(10_000);
  });

  it('cuts an upload that stalls, keeping no file and no hold', async () => {
    const files = new MemoryFiles();
    const result = await serve(files, [
      encodeRequest(OP.upload, 'stall.bin'),
      encodeUploadSize(1000),
      Buffer.alloc(500),
      { wait: IDLE },
    ]);
    expect(result.outcome).toMatchObject({ outcome: 'timed_out', bytes: 500 });
    expect(result.states.slice(-2)).toEqual(['uploading.receiving', 'failed']);
    expect(files.files.has('stall.bin')).toBe(false);
    expect(files.open).toBe(0);
    expect(files.holds.size).toBe(0);
  });

  it('cuts a download whose client takes nothing more, exactly at the timeout, counting the bytes handed over', async () => {
    const clock = new SimulatedClock();
    const spec = transferServer(new MemoryFiles({ big: Buffer.alloc(10 * READ_CHUNK, 1) }), {
      maxUploadSize: 1,
      idleTimeoutMs: IDLE,
    }).accept('c1');
    const actor = createActor(spec.logic, { input: spec.input, clock });
    const pump = new FramePump(actor, spec.decoder);
    actor.subscribe({ next: () => queueMicrotask(() => pump.run()), error: () => undefined });
    actor.on('wire.flush', () => queueMicrotask(() => actor.send({ type: 'wire.flushed' })));
    let handedOver = 0;
    // A client that stopped reading: the kernel takes no more, so no write's `written` ever comes.
    onWireCommands(new SessionObservers(actor), (command) => {
      if (command.type === 'wire.write') handedOver += command.bytes.length;
    });
    actor.start();
    pump.push(encodeRequest(OP.download, 'big'));
    await waitFor(actor, (snapshot) => snapshot.matches('check_download_confirmation'));
    pump.push(encodeStatus(STATUS.yes));
    await waitFor(actor, (snapshot) => snapshot.matches({ downloading: 'sending' }));
    await new Promise((resolve) => setImmediate(resolve)); // the source's reads
    expect(handedOver).toBe(DOWNLOAD_REPLY_SIZE + 4 * READ_CHUNK);

    clock.increment(IDLE - 1);
    expect(actor.getSnapshot().status).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().output).toMatchObject({
      outcome: 'timed_out',
      code: 'peer.idle',
      bytes: 4 * READ_CHUNK,
    });
  });

  it('waits as long as it is told', async () => {
    const patient = transferServer(new MemoryFiles(), { maxUploadSize: 1, idleTimeoutMs: 120_000 }).accept('c1');
    expect((await replay(patient, [{ wait: 119_000 }])).outcome).toBeUndefined();
  });
});

describe('client idle timeout', () => {
  it('gives up on a server that answers nothing', async () => {
    const result = await replay(
      transferClient(memoryLocalFile(), { operation: 'download', serverName: 'a', size: 0, idleTimeoutMs: IDLE }),
      [{ wait: IDLE }],
    );
    expect(result.outcome).toMatchObject({ outcome: 'timed_out' });
    expect(result.states.slice(-2)).toEqual(['check_download', 'failed']);
  });

  it('does not cut a reply that arrives in time', async () => {
    const local = memoryLocalFile(Buffer.from('x'));
    const result = await replay(
      transferClient(local, { operation: 'upload', serverName: 'a', size: 1, idleTimeoutMs: IDLE }),
      [
        { wait: IDLE - 1 },
        encodeStatus(STATUS.yes),
        { wait: IDLE - 1 },
        encodeStatus(STATUS.yes),
        { wait: IDLE - 1 },
        PEER_ENDS,
      ],
    );
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded' });
  });

  const uploadOfOneByte = () =>
    transferClient(memoryLocalFile(Buffer.from('x')), {
      operation: 'upload',
      serverName: 'a',
      size: 1,
      idleTimeoutMs: IDLE,
    });
  const accepted = [encodeStatus(STATUS.yes), encodeStatus(STATUS.yes)];

  it("waits for the server's close as long as the server acknowledges the upload's bytes: that is progress", async () => {
    const acknowledgedNow = (): ReplayInput[] => [{ wait: IDLE - 1 }, PEER_ACKNOWLEDGES];
    const result = await replay(uploadOfOneByte(), [
      ...accepted,
      ...acknowledgedNow(),
      ...acknowledgedNow(),
      ...acknowledgedNow(),
      { wait: IDLE - 1 },
      PEER_ENDS,
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded' });
  });

  it('gives up once the server acknowledges nothing more for the idle timeout', async () => {
    const result = await replay(uploadOfOneByte(), [...accepted, PEER_ACKNOWLEDGES, { wait: IDLE }]);
    expect(result.outcome).toMatchObject({ outcome: 'timed_out' });
    expect(result.states.slice(-2)).toEqual(['wait_upload_stored', 'failed']);
  });
});
