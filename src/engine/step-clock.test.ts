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

it('lets time pass quietly: a timer that came due meanwhile fires at the next wait, at once, unless cleared first', async () => {
  const clock = new StepClock();
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(clock.now()), 30);
  const cleared = clock.setTimeout(() => fired.push(-1), 40);
  clock.skip(50);
  expect(fired).toEqual([]);
  clock.clearTimeout(cleared);
  await clock.pass(0, async () => undefined);
  expect(fired).toEqual([50]);
});

it('takes a delay under 1 ms as 1 ms, as Node does: a timer re-armed for a rounding error left fires once, not for ever', async () => {
  const clock = new StepClock();
  let fired = 0;
  // A watchdog's arithmetic on float times: 2198.374 - 198.374 is a hair under 2000, so it re-arms for what is left.
  const rearm = () => {
    fired++;
    if (fired < 1000) clock.setTimeout(rearm, 2000 - (2198.374 - 198.374));
  };
  clock.setTimeout(rearm, 0);
  await clock.pass(5, async () => undefined);
  expect(fired).toBe(5);
});
