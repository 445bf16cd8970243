import { StepClock } from './step-clock';

it('fires, within one wait, a timer that a timer firing in it set, each at its time, earliest first', async () => {
  const clock = new StepClock();
  const fired: string[] = [];
  clock.setTimeout(() => {
    fired.push(`quiet at ${clock.now()}`);
    clock.setTimeout(() => fired.push(`pause at ${clock.now()}`), 10);
  }, 50);
  clock.setTimeout(() => fired.push(`idle at ${clock.now()}`), 30_000);
  const settled: number[] = [];
  await clock.pass(69, async () => void settled.push(clock.now()));
  expect(fired).toEqual(['quiet at 50', 'pause at 60']);
  expect(settled).toEqual([50, 60]);
  expect(clock.now()).toBe(69);
});

it('fires no timer cleared before it fell due, and none due after the wait', async () => {
  const clock = new StepClock();
  const fired: number[] = [];
  const cleared = clock.setTimeout(() => fired.push(1), 5);
  clock.setTimeout(() => fired.push(2), 20);
  clock.clearTimeout(cleared);
  await clock.pass(10, async () => undefined);
  expect(fired).toEqual([]);
  await clock.pass(10, async () => undefined);
  expect(fired).toEqual([2]);
});
