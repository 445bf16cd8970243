/** The queue journal on real files: what a restarted server finds, whatever happened before. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from './journal';
import { MessageQueue } from './message-queue';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wirestate-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the journal as a starting server does. */
function restart(path: string): { queue: MessageQueue; journal: Journal } {
  const { journal, messages } = Journal.open(path);
  return { queue: new MessageQueue(messages, journal), journal };
}

const texts = (queue: MessageQueue) => {
  const out: string[] = [];
  for (let message = queue.take(); message; message = queue.take()) out.push(message.bytes.toString());
  return out;
};

it('keeps queued messages, in order, across a restart, minus the delivered ones', async () => {
  const path = join(dir, 'queue.journal');
  const first = restart(path);
  for (const text of ['one', 'two', 'three']) await first.queue.enqueue(Buffer.from(text));
  const taken = first.queue.take()!;
  await first.queue.confirm(taken.id);
  first.journal.close();

  const second = restart(path);
  expect(texts(second.queue)).toEqual(['two', 'three']);
});

it('a message taken but never confirmed (the server died while sending it) is still there after a restart', async () => {
  const path = join(dir, 'queue.journal');
  const first = restart(path);
  await first.queue.enqueue(Buffer.from('in flight'));
  first.queue.take();
  first.journal.close();
  expect(texts(restart(path).queue)).toEqual(['in flight']);
});

it('delivery out of order (one receiver slower than the next) removes the right message', async () => {
  const path = join(dir, 'queue.journal');
  const first = restart(path);
  for (const text of ['a', 'b', 'c']) await first.queue.enqueue(Buffer.from(text));
  const a = first.queue.take()!;
  const b = first.queue.take()!;
  await first.queue.confirm(b.id);
  first.queue.restore(a.id);
  first.journal.close();
  expect(texts(restart(path).queue)).toEqual(['a', 'c']);
});

it('drops a last record cut short by a crash and goes on appending after the last whole one', async () => {
  const path = join(dir, 'queue.journal');
  const first = restart(path);
  await first.queue.enqueue(Buffer.from('whole'));
  await first.queue.enqueue(Buffer.from('cut short'));
  first.journal.close();
  truncateSync(path, statSync(path).size - 3);

  const second = restart(path);
  await second.queue.enqueue(Buffer.from('after'));
  second.journal.close();
  expect(texts(restart(path).queue)).toEqual(['whole', 'after']);
});

it('compacts the file once delivered messages dominate it, keeping what waits', async () => {
  const path = join(dir, 'queue.journal');
  const { queue, journal } = restart(path);
  const big = Buffer.alloc(200 * 1024, 0x61);
  for (let i = 0; i < 16; i++) await queue.enqueue(big);
  await queue.enqueue(Buffer.from('last'));
  for (let i = 0; i < 16; i++) await queue.confirm(queue.take()!.id);
  journal.close();
  // 3.2 MiB were appended; what is left is 'last' plus less than the 1 MiB of slack that triggers compaction.
  expect(statSync(path).size).toBeLessThan(1024 * 1024);
  expect(texts(restart(path).queue)).toEqual(['last']);
});

it('refuses a file that is not a queue journal instead of overwriting it', () => {
  const path = join(dir, 'notes.txt');
  writeFileSync(path, 'my precious notes');
  expect(() => Journal.open(path)).toThrow(/not a wirestate queue journal/);
  expect(readFileSync(path, 'utf8')).toBe('my precious notes');
});

it('keeps every message stored while deliveries compact the file (senders and receivers at once)', async () => {
  const path = join(dir, 'queue.journal');
  const { queue, journal } = restart(path);
  const big = Buffer.alloc(200 * 1024, 0x61);
  for (let i = 0; i < 16; i++) await queue.enqueue(big);
  // Each delivery and each new message is in flight together, as with many connections.
  const work: Promise<void>[] = [];
  for (let i = 0; i < 16; i++) work.push(queue.confirm(queue.take()!.id), queue.enqueue(Buffer.from(`new ${i}`)));
  await Promise.all(work);
  journal.close();
  expect(texts(restart(path).queue)).toEqual(Array.from({ length: 16 }, (_, i) => `new ${i}`));
});

it('removes a compaction a crash cut short and keeps the journal it was to replace', async () => {
  const path = join(dir, 'queue.journal');
  const first = restart(path);
  await first.queue.enqueue(Buffer.from('kept'));
  first.journal.close();
  writeFileSync(`${path}.compacting`, 'WSQJ1\n');
  expect(texts(restart(path).queue)).toEqual(['kept']);
  expect(existsSync(`${path}.compacting`)).toBe(false);
});

it('senders that send again as soon as they are answered share one sync: when the first resend is answered, all 8 are', async () => {
  const { queue, journal } = restart(join(dir, 'queue.journal'));
  const waitingWhenResendAnswered: number[] = [];
  const sender = async () => {
    await queue.enqueue(Buffer.from('first'));
    await queue.enqueue(Buffer.from('again'));
    waitingWhenResendAnswered.push(queue.length);
  };
  await Promise.all(Array.from({ length: 8 }, sender));
  journal.close();
  // A message waits for receivers only once it is synced: the 8 first sends went in one sync, the 8 resends in the next.
  expect(waitingWhenResendAnswered[0]).toBe(16);
});
