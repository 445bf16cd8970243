/** Everything that watches a connection's actor through one subscription and one listener (session-observers.ts). */
import { createActor, emit, setup } from 'xstate';
import { SessionObservers } from './session-observers';
import { crash, CRASH_MESSAGE } from '../test-support/crashing-action';
import type { MachineEmitted } from './protocol';
import type { SessionActor } from './session-actor';

const machine = setup({
  types: { emitted: {} as MachineEmitted },
  actions: { crash },
}).createMachine({
  initial: 'waiting',
  states: {
    waiting: {
      on: {
        speak: {
          actions: [
            emit({ type: 'wire.write', bytes: Buffer.from('a') }),
            emit({ type: 'idle.restart' }),
            emit({ type: 'wire.end' }),
          ],
        },
        next: 'later',
        crash: { actions: 'crash' },
      },
    },
    later: { on: { finish: 'done' } },
    done: { type: 'final' },
  },
});

function observed() {
  const actor = createActor(machine) as unknown as SessionActor;
  return { actor, observers: new SessionObservers(actor) };
}

test('each observer hears every snapshot and the end, in the order they were added', () => {
  const { actor, observers } = observed();
  const heard: string[] = [];
  for (const who of ['first', 'second'])
    observers.observe({
      next: (snapshot) => heard.push(`${who} ${JSON.stringify(snapshot.value)} ${snapshot.status}`),
      complete: () => heard.push(`${who} complete`),
    });
  actor.start();
  actor.send({ type: 'next' });
  actor.send({ type: 'finish' });
  expect(heard).toEqual([
    'first "waiting" active',
    'second "waiting" active',
    'first "later" active',
    'second "later" active',
    'first "done" done',
    'second "done" done',
    'first complete',
    'second complete',
  ]);
});

test('a listener hears the emitted events of its types only, in the order they were emitted', () => {
  const { actor, observers } = observed();
  const heard: string[] = [];
  observers.on(['wire.write', 'wire.end'], (command) => heard.push(`wire ${command.type}`));
  observers.on(['idle.restart'], (restart) => heard.push(`idle ${restart.type}`));
  observers.on(['session.request'], (request) => heard.push(`request ${request.type}`));
  actor.start();
  actor.send({ type: 'speak' });
  expect(heard).toEqual(['wire wire.write', 'idle idle.restart', 'wire wire.end']);
});

test("a machine's failure reaches every observer's error, not the process as an unhandled one", () => {
  const { actor, observers } = observed();
  const errors: unknown[] = [];
  observers.observe({ error: (error) => errors.push(error) });
  observers.observe({ next: () => undefined });
  observers.observe({ error: (error) => errors.push(error) });
  actor.start();
  actor.send({ type: 'crash' });
  expect(errors.map((error) => (error as Error).message)).toEqual([CRASH_MESSAGE, CRASH_MESSAGE]);
  expect(actor.getSnapshot().status).toBe('error');
});
