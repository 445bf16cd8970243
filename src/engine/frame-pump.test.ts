import { assign, createActor, setup } from 'xstate';
import type { SessionActor } from './session-actor';
import { LineReader, type Line } from '../test-support/line-reader';
import { FramePump } from './frame-pump';
import { QUIET_TAG, READING_TAG, type UnsolicitedBytes } from './protocol';

/** Keeps every line it reads; "wait" stops reading until `go`; the peer's end finishes it. */
const keeper = setup({
  types: { context: {} as { got: string[] }, events: {} as Line | { type: 'go' } | { type: 'socket.end' } },
  actions: { keep: assign(({ context }, params: { text: string }) => ({ got: [...context.got, params.text] })) },
}).createMachine({
  context: { got: [] },
  initial: 'reading',
  states: {
    reading: {
      tags: READING_TAG,
      on: {
        'frame.line': [
          { guard: ({ event }) => event.text === 'wait', target: 'waiting' },
          { actions: { type: 'keep', params: ({ event }) => ({ text: event.text }) } },
        ],
        'socket.end': 'ended',
      },
    },
    waiting: { on: { go: 'reading' } },
    ended: { type: 'final' },
  },
});

function start(held = () => false) {
  const actor = createActor(keeper).start();
  // This test machine has no session outcome; the pump reads only its status, tags and children.
  const pump = new FramePump(actor as unknown as SessionActor, new LineReader(), held);
  return { actor, pump, got: () => actor.getSnapshot().context.got };
}

/** Expects nothing until `ask`; a reply line is then read, and it is quiet again. Unsolicited bytes fail it. */
const asker = setup({
  types: {
    context: {} as { got: string[]; unsolicited?: number },
    events: {} as Line | { type: 'ask' } | { type: 'socket.end' } | UnsolicitedBytes,
  },
}).createMachine({
  context: { got: [] },
  initial: 'quiet',
  states: {
    quiet: {
      tags: [READING_TAG, QUIET_TAG],
      on: {
        ask: 'asking',
        'frame.unsolicited': { target: 'failed', actions: assign({ unsolicited: ({ event }) => event.bytes }) },
        'socket.end': 'ended',
      },
    },
    asking: {
      tags: READING_TAG,
      on: {
        'frame.line': {
          target: 'quiet',
          actions: assign({ got: ({ context, event }) => [...context.got, event.text] }),
        },
      },
    },
    failed: { type: 'final' },
    ended: { type: 'final' },
  },
});

/** Told of the peer's end while reading its request, it looks something up, then reads a body; an `ignore` line makes it stay put on the end. */
const twoReads = setup({
  types: {
    context: {} as { ends: number; ignore: boolean },
    events: {} as Line | { type: 'looked_up' } | { type: 'socket.end' },
  },
  actions: { countEnd: assign({ ends: ({ context }) => context.ends + 1 }) },
}).createMachine({
  context: { ends: 0, ignore: false },
  initial: 'request',
  states: {
    request: {
      tags: READING_TAG,
      on: {
        'frame.line': { actions: assign({ ignore: ({ event }) => event.text === 'ignore' }) },
        'socket.end': { target: 'lookup', actions: 'countEnd' },
      },
    },
    lookup: { on: { looked_up: 'body' } },
    body: {
      tags: READING_TAG,
      on: {
        'socket.end': [
          { guard: ({ context }) => context.ignore, actions: 'countEnd' },
          { target: 'stored', actions: 'countEnd' },
        ],
      },
    },
    stored: { type: 'final' },
  },
});

describe('FramePump', () => {
  it('delivers every frame of any chunking, in order, while the state reads', () => {
    const { pump, got } = start();
    for (const chunk of ['on', 'e\ntw', 'o\n', 'three\n']) pump.push(Buffer.from(chunk));
    expect(got()).toEqual(['one', 'two', 'three']);
    expect(pump.buffered).toBe(0);
  });

  it('keeps frames queued while the state does not read, and delivers them once it reads again and run() is called', () => {
    const { actor, pump, got } = start();
    pump.push(Buffer.from('a\nwait\nb\nc\n'));
    expect(got()).toEqual(['a']);
    expect(pump.wantsInput()).toBe(false);
    expect(pump.buffered).toBe(4);
    actor.send({ type: 'go' });
    expect(got()).toEqual(['a']);
    pump.run();
    expect(got()).toEqual(['a', 'b', 'c']);
  });

  it("tells the peer's end again to a reading state entered after it, and once to a state that stays put on it", () => {
    for (const [line, ends, status] of [
      ['go', 2, 'done'],
      ['ignore', 2, 'active'],
    ] as const) {
      const actor = createActor(twoReads).start();
      const pump = new FramePump(actor as unknown as SessionActor, new LineReader());
      pump.push(Buffer.from(`${line}\n`));
      pump.end();
      expect(actor.getSnapshot().value).toBe('lookup');
      actor.send({ type: 'looked_up' });
      pump.run();
      pump.run();
      expect(actor.getSnapshot().context.ends).toBe(ends);
      expect(actor.getSnapshot().status).toBe(status);
    }
  });

  it("delivers the peer's end once, after every frame queued before it", () => {
    const { actor, pump, got } = start();
    pump.push(Buffer.from('wait\nlast\n'));
    pump.end();
    expect(actor.getSnapshot().value).toBe('waiting');
    actor.send({ type: 'go' });
    pump.run();
    expect(got()).toEqual(['last']);
    expect(actor.getSnapshot().status).toBe('done');
    expect(pump.wantsInput()).toBe(false);
  });

  it('delivers nothing while its carrier is held, and resumes on run() once it is not', () => {
    let held = true;
    const { pump, got } = start(() => held);
    pump.push(Buffer.from('x\ny\n'));
    expect(got()).toEqual([]);
    held = false;
    pump.run();
    expect(got()).toEqual(['x', 'y']);
  });

  describe('in a quiet state', () => {
    function quiet() {
      const actor = createActor(asker).start();
      return {
        actor,
        pump: new FramePump(actor as unknown as SessionActor, new LineReader()),
        context: () => actor.getSnapshot().context,
      };
    }

    it('reports bytes that arrive, framed or not, as unsolicited', () => {
      const { actor, pump, context } = quiet();
      actor.send({ type: 'ask' });
      pump.push(Buffer.from('answer\n'));
      expect(context().got).toEqual(['answer']);
      pump.push(Buffer.from('B'));
      expect(actor.getSnapshot().value).toBe('failed');
      expect(context().unsolicited).toBe(1);
    });

    it('reports bytes left over from the last answer once the state is entered, before the end that came with them', () => {
      const { actor, pump, context } = quiet();
      actor.send({ type: 'ask' });
      pump.push(Buffer.from('answer\nextra'));
      pump.end();
      expect(actor.getSnapshot().value).toBe('failed');
      expect(context().unsolicited).toBe(5);
    });

    it("delivers the peer's end when nothing is buffered", () => {
      const { actor, pump } = quiet();
      pump.end();
      expect(actor.getSnapshot().value).toBe('ended');
    });
  });
});
