import { createActor, setup } from 'xstate';
import { fromAnswer } from './from-answer';

/** A machine that asks `answer` for a word and ends in `found` with it, or in `failed` with the error's message. */
function asking(answer: (input: string) => string | PromiseLike<string>) {
  return setup({ actors: { ask: fromAnswer(answer) } }).createMachine({
    initial: 'asking',
    states: {
      asking: {
        invoke: {
          src: 'ask',
          input: 'word',
          onDone: { target: 'found', actions: ({ event }) => results.push(`found ${event.output}`) },
          onError: {
            target: 'failed',
            actions: ({ event }) => results.push(`failed ${(event.error as Error).message}`),
          },
        },
        on: { leave: 'left' },
      },
      found: { type: 'final' },
      failed: { type: 'final' },
      left: { type: 'final' },
    },
  });
}
let results: string[] = [];
beforeEach(() => (results = []));

describe('fromAnswer', () => {
  it('delivers an answer given at once before start() returns: no microtask in between', () => {
    const actor = createActor(asking((input) => `${input}!`)).start();
    expect(actor.getSnapshot().value).toBe('found');
    expect(results).toEqual(['found word!']);
  });

  it('delivers a throw at once as the machine onError', () => {
    const actor = createActor(
      asking(() => {
        throw new Error('gone');
      }),
    ).start();
    expect(actor.getSnapshot().value).toBe('failed');
    expect(results).toEqual(['failed gone']);
  });

  it('waits for a promise, and for a rejection', async () => {
    const resolved = createActor(asking(async (input) => `${input}?`)).start();
    const rejected = createActor(asking(() => Promise.reject(new Error('no')))).start();
    expect(resolved.getSnapshot().value).toBe('asking');
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved.getSnapshot().value).toBe('found');
    expect(rejected.getSnapshot().value).toBe('failed');
    expect(results.sort()).toEqual(['failed no', 'found word?']);
  });

  it('drops an answer that comes after its state was left', async () => {
    let answer: (word: string) => void = () => undefined;
    const actor = createActor(asking(() => new Promise<string>((resolve) => (answer = resolve)))).start();
    actor.send({ type: 'leave' });
    answer('late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().value).toBe('left');
    expect(results).toEqual([]);
  });
});
