import { OpenSet } from './open-set';

describe('OpenSet', () => {
  it('settles whenEmpty at once when nothing is open, else once the last item is deleted', async () => {
    const open = new OpenSet<string>();
    await open.whenEmpty();
    open.add('a');
    open.add('b');
    const settled: string[] = [];
    const idle = open.whenEmpty().then(() => settled.push('idle'));
    open.delete('a');
    await Promise.resolve();
    expect(settled).toEqual([]);
    open.delete('b');
    await idle;
    expect(settled).toEqual(['idle']);
  });

  it('keeps no waiter once it is settled, however often whenEmpty was asked', async () => {
    const open = new OpenSet<number>();
    for (let round = 0; round < 3; round++) {
      open.add(round);
      const waits = Array.from({ length: 1000 }, () => open.whenEmpty());
      expect(open.waiting).toBe(1000);
      open.delete(round);
      await Promise.all(waits);
      expect(open.waiting).toBe(0);
    }
  });

  it('iterates over what is open', () => {
    const open = new OpenSet<string>();
    open.add('x');
    open.add('y');
    open.delete('x');
    expect([...open]).toEqual(['y']);
    expect(open.size).toBe(1);
  });
});
