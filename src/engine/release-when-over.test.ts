/** A connection's holds are freed once its machine is over, however it ends (release-when-over.ts). */
import { SessionObservers } from './session-observers';
import { createActor, setup } from 'xstate';
import { ChunkReader } from './chunk-reader';
import { releaseWhenOver } from './release-when-over';
import { crash } from '../test-support/crashing-action';
import type { SessionActor } from './session-actor';

const machine = setup({
  actions: { crash },
}).createMachine({
  initial: 'waiting',
  states: {
    waiting: { on: { finish: 'done', crash: { actions: 'crash' } } },
    done: { type: 'final' },
  },
});

/** A started actor whose spec counts its releases. */
function started() {
  const released = { count: 0 };
  const spec = { logic: machine, input: {}, decoder: new ChunkReader(), release: () => released.count++ };
  const actor = createActor(machine) as unknown as SessionActor;
  releaseWhenOver(new SessionObservers(actor), spec);
  // As the loop does: a machine's error is heard, not left unhandled.
  actor.subscribe({ error: () => undefined });
  actor.start();
  return { actor, released };
}

test('nothing is released while the machine runs', () => {
  expect(started().released.count).toBe(0);
});

test.each([
  ['finishes', (actor: SessionActor) => actor.send({ type: 'finish' })],
  ['is stopped (its socket gone, the server stopping)', (actor: SessionActor) => actor.stop()],
  // xstate does not stop an erroring machine's children: a hold kept by a child actor stayed until the server stopped.
  ['throws', (actor: SessionActor) => actor.send({ type: 'crash' })],
])('released once when the machine %s', (_, end) => {
  const { actor, released } = started();
  end(actor);
  actor.stop();
  expect(released.count).toBe(1);
});

test('a spec without holds needs no release', () => {
  const actor = createActor(machine) as unknown as SessionActor;
  releaseWhenOver(new SessionObservers(actor), { logic: machine, input: {}, decoder: new ChunkReader() });
  actor.start();
  expect(() => actor.stop()).not.toThrow();
});
