import { ByteQueue } from './byte-queue';

const queueOf = (...chunks: string[]) => {
  const queue = new ByteQueue();
  for (const chunk of chunks) queue.push(Buffer.from(chunk));
  return queue;
};

describe('ByteQueue', () => {
  it('counts what is queued and ignores empty chunks', () => {
    const queue = queueOf('abc', '', 'de');
    expect(queue.length).toBe(5);
  });

  it('take gives exactly n bytes in order, across chunk boundaries, whatever the cuts', () => {
    const text = 'hello, wire';
    for (let cut = 0; cut <= text.length; cut++) {
      const queue = queueOf(text.slice(0, cut), text.slice(cut));
      expect([queue.take(4), queue.take(3), queue.take(4)].map(String)).toEqual(['hell', 'o, ', 'wire']);
      expect(queue.length).toBe(0);
    }
  });

  it('take within the first chunk returns a view of it, not a copy', () => {
    const chunk = Buffer.from('abcdef');
    const queue = new ByteQueue();
    queue.push(chunk);
    const taken = queue.take(3);
    chunk[0] = 0x58; // 'X'
    expect(taken.toString()).toBe('Xbc');
  });

  it('take refuses more than is queued and leaves the queue as it was', () => {
    const queue = queueOf('ab', 'c');
    expect(() => queue.take(4)).toThrow(RangeError);
    expect(queue.length).toBe(3);
    expect(queue.take(3).toString()).toBe('abc');
  });

  it('takeUpTo never goes past the first chunk', () => {
    const queue = queueOf('abc', 'def');
    expect(queue.takeUpTo(10).toString()).toBe('abc');
    expect(queue.takeUpTo(2).toString()).toBe('de');
    expect(queue.takeUpTo(0).length).toBe(0);
    expect(queue.length).toBe(1);
    expect(queue.takeUpTo(1).toString()).toBe('f');
    expect(queue.takeUpTo(1).length).toBe(0);
  });

  it('clear drops everything and says how much', () => {
    const queue = queueOf('abc', 'de');
    queue.take(1);
    expect(queue.clear()).toBe(4);
    expect(queue.length).toBe(0);
    queue.push(Buffer.from('z'));
    expect(queue.take(1).toString()).toBe('z');
  });
});
