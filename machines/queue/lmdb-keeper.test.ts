/** The on-disk keeper: what it acknowledged is there after reopening, in order, and a removal is gone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbKeeper } from './lmdb-keeper';
import { MessageQueue } from './message-queue';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirestate-lmdb-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('reopens with the waiting messages in order, sizes counted, delivered ones gone, numbering going on', async () => {
  const path = join(dir, 'queue.lmdb');
  const first = LmdbKeeper.open(path);
  const queue = new MessageQueue(first);
  for (const text of ['one', 'two', 'three', 'x'.repeat(70_000)]) await queue.enqueue(Buffer.from(text));
  const taken = queue.take();
  expect(taken?.bytes.toString()).toBe('one');
  await queue.confirm(taken!.id);
  await first.close();

  const second = LmdbKeeper.open(path);
  expect(second.kept).toEqual([
    { seq: 2, length: 3 },
    { seq: 3, length: 5 },
    { seq: 4, length: 70_000 },
  ]);
  const reopened = new MessageQueue(second, { maxMessages: 4, maxBytes: 1_000_000 });
  await reopened.enqueue(Buffer.from('four'));
  // Refused at once, before the store is asked: no write to wait for.
  expect(() => reopened.enqueue(Buffer.from('five'))).toThrow('queue full: 4 messages');
  const texts = [];
  for (let message = reopened.take(); message; message = reopened.take()) texts.push(message.bytes.toString());
  expect(texts).toEqual(['two', 'three', 'x'.repeat(70_000), 'four']);
  await second.close();
  const third = LmdbKeeper.open(path);
  expect(third.kept.map((message) => message.seq)).toEqual([2, 3, 4, 5]);
  await third.close();
});

it('says which message is gone when its record is missing (another process took it): queue.missing', async () => {
  const keeper = LmdbKeeper.open(join(dir, 'queue.lmdb'));
  const message = { seq: 7, length: 5 };
  await keeper.put(message, Buffer.from('hello'));
  await keeper.remove(message);
  expect(() => keeper.get(message)).toThrow(
    expect.objectContaining({ code: 'queue.missing', message: 'message 7 is not in the store' }),
  );
  await keeper.close();
});
