import { assign, createActor, fromCallback, setup } from 'xstate';
import { ByteQueue } from './byte-queue';
import { FramePump } from './frame-pump';
import { SINK_ID } from './file-actors';
import type { SessionActor } from './session-actor';
import { BULK_IN_TAG, BULK_TAG, READING_TAG, type FrameDecoder } from './protocol';

/**
 * A file framed as a socket would bring it: `S` and a 1-byte size, the file's bytes, an 8-byte tag that
 * ends the file (as a digest would), then a 4-byte trailer. The machine keeps the tag and the trailer.
 */
type Frame =
  | { type: 'frame.size'; size: number }
  | { type: 'frame.data'; chunk: Buffer }
  | { type: 'frame.tag'; tag: Buffer }
  | { type: 'frame.trailer'; trailer: Buffer };

class SizedReader implements FrameDecoder<Frame> {
  private readonly queue = new ByteQueue();
  private step: 'size' | 'data' | 'tag' | 'trailer' = 'size';
  private remaining = 0;
  get buffered() {
    return this.queue.length;
  }
  push(chunk: Buffer) {
    this.queue.push(chunk);
  }
  keep(memory: ArrayBufferLike) {
    this.queue.keep(memory);
  }
  next(): Frame | undefined {
    switch (this.step) {
      case 'size': {
        if (this.queue.length < 2) return undefined;
        this.remaining = this.queue.take(2)[1];
        this.step = 'data';
        return { type: 'frame.size', size: this.remaining };
      }
      case 'data': {
        if (this.queue.length === 0) return undefined;
        const chunk = this.queue.takeUpTo(this.remaining);
        this.remaining -= chunk.length;
        if (this.remaining === 0) this.step = 'tag';
        return { type: 'frame.data', chunk };
      }
      case 'tag':
        if (this.queue.length < 8) return undefined;
        this.step = 'trailer';
        return { type: 'frame.tag', tag: this.queue.take(8) };
      case 'trailer':
        return this.queue.length < 4 ? undefined : { type: 'frame.trailer', trailer: this.queue.take(4) };
    }
  }
}

/** Receives the file into a sink that copies what it is handed (as the real one hashes and copies it). */
function receiver(file: Buffer[]) {
  return setup({
    types: {
      context: {} as { tag: Buffer | undefined; trailer: Buffer | undefined },
      events: {} as Frame | { type: 'disk.ready' },
    },
    actors: {
      [SINK_ID]: fromCallback<Frame>(({ receive }) => {
        receive((event) => {
          if (event.type === 'frame.data') file.push(Buffer.from(event.chunk));
        });
      }),
    },
  }).createMachine({
    context: { tag: undefined, trailer: undefined },
    initial: 'header',
    states: {
      header: { tags: READING_TAG, on: { 'frame.size': 'receiving' } },
      receiving: {
        tags: [READING_TAG, BULK_TAG, BULK_IN_TAG],
        invoke: { id: SINK_ID, src: SINK_ID },
        on: { 'frame.tag': { target: 'disk_busy', actions: assign({ tag: ({ event }) => event.tag }) } },
      },
      // Reads nothing for a while, as a state waiting for the disk: what the socket brought meanwhile waits.
      disk_busy: { on: { 'disk.ready': 'closing' } },
      closing: {
        tags: READING_TAG,
        on: { 'frame.trailer': { target: 'done', actions: assign({ trailer: ({ event }) => event.trailer }) } },
      },
      done: { type: 'final' },
    },
  });
}

const FILE = Buffer.from('bytes of the file, thirty-one!');
const STREAM = Buffer.concat([Buffer.from([0x53, FILE.length]), FILE, Buffer.from('TAG-8B!!'), Buffer.from('END.')]);

/** Lends `STREAM` to a pump cut at `cuts`, each read into the same buffer, which the next read writes over. */
function receive(cuts: number[]) {
  const file: Buffer[] = [];
  const actor = createActor(receiver(file)).start();
  const pump = new FramePump(actor as unknown as SessionActor, new SizedReader());
  const reused = Buffer.alloc(STREAM.length);
  let from = 0;
  for (const to of [...cuts, STREAM.length]) {
    pump.lend(reused.subarray(0, STREAM.copy(reused, 0, from, to)));
    reused.fill(0x21);
    from = to;
    if (actor.getSnapshot().value === 'disk_busy') actor.send({ type: 'disk.ready' });
    pump.run();
  }
  const { value, context } = actor.getSnapshot();
  return {
    file: Buffer.concat(file).toString(),
    value,
    tag: context.tag?.toString(),
    trailer: context.trailer?.toString(),
  };
}

const RECEIVED = { file: FILE.toString(), value: 'done', tag: 'TAG-8B!!', trailer: 'END.' };

describe('FramePump.lend', () => {
  it('keeps every byte of a stream read into one reused buffer, whatever the two cuts', () => {
    for (let first = 0; first <= STREAM.length; first++)
      for (let second = first; second <= STREAM.length; second++) expect(receive([first, second])).toEqual(RECEIVED);
  });

  it('keeps every byte when each read brings one byte', () => {
    expect(receive(Array.from({ length: STREAM.length - 1 }, (_, at) => at + 1))).toEqual(RECEIVED);
  });

  it('keeps every byte when one read brings the whole stream', () => {
    expect(receive([])).toEqual(RECEIVED);
  });
});
