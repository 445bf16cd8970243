/**
 * The bulk phase does not step the machine per chunk: the frame pump hands an upload's chunks to the
 * sink, which counts them and reports coarsely. The machine still ends with every byte counted.
 */
import { createActor, waitFor, type InspectionEvent } from 'xstate';
import { FramePump } from '../../src/engine/frame-pump';
import { MemoryFiles } from '../../src/storage/memory-files';
import { OP, encodeRequest, encodeUploadSize } from './frames';
import { transferServer } from '.';

const CHUNKS = 1000;
const CHUNK = 1024;

it("hands an upload's chunks to the sink without stepping the server's machine per chunk", async () => {
  const files = new MemoryFiles();
  const spec = transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER }).accept('c1');
  const machineEvents: string[] = [];
  const actor = createActor(spec.logic, {
    input: spec.input,
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.actorRef === actor) machineEvents.push(event.event.type);
    },
  });
  const pump = new FramePump(actor, spec.decoder);
  // As the loop does: a state that reads again after an async check gets the frames waiting for it.
  actor.subscribe(() => queueMicrotask(() => pump.run()));
  actor.on('wire.flush', () => queueMicrotask(() => actor.send({ type: 'wire.flushed' })));
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
