import { AddressBudget } from './address-budget';

const clock = () => {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
};

describe('AddressBudget', () => {
  it('grants up to one second of bytes at once, then refills at the rate', () => {
    const time = clock();
    const budget = new AddressBudget(1000, time.now);
    expect(budget.take('a', 600)).toBe(true);
    expect(budget.take('a', 600)).toBe(false);
    expect(budget.take('a', 400)).toBe(true);
    expect(budget.take('a', 1)).toBe(false);
    time.advance(500);
    expect(budget.take('a', 500)).toBe(true);
    expect(budget.take('a', 1)).toBe(false);
  });

  it('keeps each address apart', () => {
    const budget = new AddressBudget(1000, clock().now);
    expect(budget.take('a', 1000)).toBe(true);
    expect(budget.take('b', 1000)).toBe(true);
    expect(budget.take('a', 1)).toBe(false);
  });

  it('lets a reply larger than a second through on a full budget, then waits out the debt', () => {
    const time = clock();
    const budget = new AddressBudget(1000, time.now);
    expect(budget.take('a', 3000)).toBe(true);
    time.advance(1999);
    expect(budget.take('a', 1)).toBe(false);
    time.advance(2);
    expect(budget.take('a', 1)).toBe(true);
  });

  it('never grants more than the rate over time, however the requests come', () => {
    const time = clock();
    const budget = new AddressBudget(1000, time.now);
    let granted = 0;
    for (let step = 0; step < 10_000; step++) {
      if (budget.take('a', 100)) granted += 100;
      time.advance(1);
    }
    expect(granted).toBeLessThanOrEqual(1000 * 10 + 1000);
  });
});
