/** The queue's order and room when its keeper answers later (on disk) or fails to read a message back. */
import { MessageQueue } from './message-queue';
import { MemoryKeeper, type KeptMessage, type MessageKeeper } from './message-keeper';

/** A keeper in memory whose puts are synced when the test says, in any order, and whose reads can fail. */
class SlowKeeper implements MessageKeeper {
  readonly kept: KeptMessage[] = [];
  readonly syncs: (() => void)[] = [];
  unreadable = new Set<number>();
  private readonly memory = new MemoryKeeper();

  put(message: KeptMessage, bytes: Buffer): Promise<void> {
    return new Promise((resolve) =>
      this.syncs.push(() => {
        this.memory.put(message, bytes);
        resolve();
      }),
    );
  }

  get(message: KeptMessage): Buffer {
    if (this.unreadable.has(message.seq)) throw Object.assign(new Error('I/O error'), { code: 'EIO' });
    return this.memory.get(message);
  }

  remove(message: KeptMessage): void {
    this.memory.remove(message);
  }
}

const texts = (queue: MessageQueue) => {
  const taken = [];
  for (let message = queue.take(); message; message = queue.take()) taken.push(message.bytes.toString());
  return taken;
};

it('keeps the order messages came in when a later one is synced first (as a restart reads them back)', async () => {
  const keeper = new SlowKeeper();
  const queue = new MessageQueue(keeper);
  const stored = ['first', 'second', 'third'].map((text) => queue.enqueue(Buffer.from(text)) as Promise<void>);
  keeper.syncs[2]();
  keeper.syncs[0]();
  keeper.syncs[1]();
  await Promise.all(stored);
  expect(texts(queue)).toEqual(['first', 'second', 'third']);
});

it('drops a message its keeper cannot read, gives its room back, and hands out the next', async () => {
  const keeper = new SlowKeeper();
  const queue = new MessageQueue(keeper, { maxMessages: 2, maxBytes: 1000 });
  const stored = [queue.enqueue(Buffer.from('lost')), queue.enqueue(Buffer.from('kept'))] as Promise<void>[];
  keeper.syncs.forEach((sync) => sync());
  await Promise.all(stored);
  keeper.unreadable.add(1);
  expect(() => queue.take()).toThrow('I/O error');
  // Its room is free again: a second message fits beside `kept`, under maxMessages 2.
  const third = queue.enqueue(Buffer.from('third'));
  keeper.syncs[2]();
  await third;
  expect(texts(queue)).toEqual(['kept', 'third']);
});
