/** One idle watchdog per connection (idle-watchdog.ts), on replay's simulated clock. */
import { SessionObservers } from './session-observers';
import { assign, createActor, emit, setup } from 'xstate';
import { PEER_IDLE_EVENT, restartsIdle } from './idle';
import { watchIdle } from './idle-watchdog';
import type { SessionActor } from './session-actor';
import { StepClock } from './step-clock';

const IDLE_MS = 1000;

/** Waits for the peer in `asking` and `answering`, not in `working` (its own work: it does not hear the watchdog). */
const machine = setup({
  types: { context: {} as { idleTimeoutMs: number; heard: number } },
  actions: { [restartsIdle]: emit({ type: 'idle.restart' }) },
}).createMachine({
  context: { idleTimeoutMs: IDLE_MS, heard: 0 },
  initial: 'asking',
  states: {
    asking: {
      on: {
        [PEER_IDLE_EVENT]: 'timed_out',
        question: 'answering',
        work: 'working',
        // Part of something from the peer, kept without entering a state: the state's period goes on.
        murmur: { actions: assign({ heard: ({ context }) => context.heard + 1 }) },
        // The same re-entering the state, as a request read in pieces does: its period starts over.
        piece: {
          target: 'asking',
          reenter: true,
          actions: [assign({ heard: ({ context }) => context.heard + 1 }), restartsIdle],
        },
      },
    },
    answering: { on: { [PEER_IDLE_EVENT]: 'timed_out', done: 'done' } },
    working: { on: { worked: 'asking' } },
    timed_out: { type: 'final' },
    done: { type: 'final' },
  },
});

/** Counts the timers set and not yet fired or cleared. */
class CountingClock extends StepClock {
  live = new Set<number>();
  setTimeout(fire: () => void, ms: number): number {
    const id = super.setTimeout(() => {
      this.live.delete(id);
      fire();
    }, ms);
    this.live.add(id);
    return id;
  }
  clearTimeout(id: number): void {
    this.live.delete(id);
    super.clearTimeout(id);
  }
}

type Started = ReturnType<typeof started>;

function started() {
  const clock = new CountingClock();
  const heard: string[] = [];
  const actor = createActor(machine, {
    clock,
    inspect: (event) => event.type === '@xstate.event' && heard.push(event.event.type),
  }) as unknown as SessionActor;
  watchIdle(new SessionObservers(actor));
  actor.start();
  const pass = (ms: number) => clock.pass(ms, async () => undefined);
  const state = () => actor.getSnapshot().value;
  return { actor, clock, pass, state, heard };
}

test('a state waiting for the peer fails the idle timeout after it was entered, not before', async () => {
  const { pass, state } = started();
  await pass(IDLE_MS - 1);
  expect(state()).toBe('asking');
  await pass(1);
  expect(state()).toBe('timed_out');
});

test('entering another state starts the period over', async () => {
  const { actor, pass, state } = started();
  await pass(600);
  actor.send({ type: 'question' });
  await pass(IDLE_MS - 1);
  expect(state()).toBe('answering');
  await pass(1);
  expect(state()).toBe('timed_out');
});

test('bytes kept without entering a state do not start it over; a state re-entered does', async () => {
  const { actor, pass, state } = started();
  await pass(600);
  actor.send({ type: 'murmur' });
  await pass(400);
  expect(state()).toBe('timed_out');

  const again = started();
  await again.pass(600);
  again.actor.send({ type: 'piece' });
  await again.pass(IDLE_MS - 1);
  expect(again.state()).toBe('asking');
  await again.pass(1);
  expect(again.state()).toBe('timed_out');
});

test('a state that does not wait for the peer is not told; the watch goes on', async () => {
  const { actor, pass, state, heard } = started();
  actor.send({ type: 'work' });
  await pass(3 * IDLE_MS + 500);
  expect(state()).toBe('working');
  expect(heard).not.toContain(PEER_IDLE_EVENT);
  actor.send({ type: 'worked' });
  await pass(IDLE_MS - 1);
  expect(state()).toBe('asking');
  await pass(1);
  expect(state()).toBe('timed_out');
});

test.each([
  [
    'finishes',
    async ({ actor }: Started) => {
      actor.send({ type: 'question' });
      actor.send({ type: 'done' });
    },
  ],
  ['times out', ({ pass }: Started) => pass(IDLE_MS)],
  ['is stopped', async ({ actor }: Started) => actor.stop()],
])('no timer is left the moment the machine %s', async (_, end) => {
  const run = started();
  expect(run.clock.live.size).toBe(1);
  await end(run);
  expect(run.actor.getSnapshot().status).not.toBe('active');
  expect(run.clock.live.size).toBe(0);
});

test("the idle timeout is read from the machine's context, 30 s when it has none", async () => {
  const clock = new StepClock();
  const actor = createActor(machine, { clock }) as unknown as SessionActor;
  const defaultMachine = setup({}).createMachine({
    initial: 'asking',
    states: { asking: { on: { [PEER_IDLE_EVENT]: 'timed_out' } }, timed_out: { type: 'final' } },
  });
  const plain = createActor(defaultMachine, { clock }) as unknown as SessionActor;
  watchIdle(new SessionObservers(actor));
  watchIdle(new SessionObservers(plain));
  actor.start();
  plain.start();
  await clock.pass(29_999, async () => undefined);
  expect(actor.getSnapshot().status).toBe('done');
  expect(plain.getSnapshot().value).toBe('asking');
  await clock.pass(1, async () => undefined);
  expect(plain.getSnapshot().value).toBe('timed_out');
});
