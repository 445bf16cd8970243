import type { ReplayInput, ReplayResult } from '../engine/replay';
import type { Trace } from './trace-format';
import { differences, inputsFromTrace, type Expected } from './trace-replay';

const recorded: Expected = {
  sent: Buffer.from('reply'),
  states: ['reading', 'done'],
  outcome: { ok: false, outcome: 'refused', code: 'file.busy', bytes: 0, detail: 'busy' },
};
const replayed = (outcome: Expected['outcome']): ReplayResult => ({
  sent: Buffer.from('reply'),
  states: ['reading', 'done'],
  closed: 'end',
  outcome,
});

it('takes a replay that ends with the recorded outcome and code as the same, whatever its detail says', () => {
  expect(
    differences(recorded, replayed({ ...recorded.outcome!, detail: 'the name is held by another connection' })),
  ).toEqual([]);
  expect(differences(recorded, replayed({ ...recorded.outcome!, detail: undefined }))).toEqual([]);
});

it('tells a replay that ends with another code, outcome, byte count or verdict', () => {
  for (const changed of [{ code: 'file.missing' }, { outcome: 'cancelled' }, { bytes: 1 }, { ok: true }]) {
    expect(differences(recorded, replayed({ ...recorded.outcome!, ...changed }))).toEqual([
      expect.stringMatching(/^outcome /),
    ]);
  }
  expect(differences(recorded, replayed(undefined))).toEqual([expect.stringMatching(/^outcome /)]);
});

it('tells other bytes and other states', () => {
  expect(differences(recorded, { ...replayed(recorded.outcome), sent: Buffer.from('other') })).toEqual([
    'sent 5 B differing from the 5 B recorded',
  ]);
  expect(differences(recorded, { ...replayed(recorded.outcome), states: ['reading'] })).toEqual([
    'states reading instead of reading > done',
  ]);
});

describe('the peer inputs of a trace with a big frame, cut as a replay takes them', () => {
  const MiB = 1024 * 1024;
  const frame = Buffer.alloc(2 * MiB, 'wirestate ');
  const trace: Trace = {
    header: {
      trace: 'wirestate/1',
      protocol: 'transfer',
      role: 'server',
      connection: 'c1',
      peer: '127.0.0.1:1',
      version: '0',
      started: '2026-12-01T00:00:00.000Z',
      input: {},
    },
    entries: [
      { t: 1, in: frame.subarray(0, 0.75 * MiB).toString('base64') },
      { t: 2, state: 'receiving' },
      { t: 3, in: frame.subarray(0.75 * MiB).toString('base64') },
      { t: 4, end: 'peer' },
    ],
  };

  it.each([
    ['in 1-byte pieces', { kind: 'bytes' } as const, 1],
    ['cut at random points', { kind: 'random', seed: 1 } as const, 300],
  ])('%s: every byte in order, in pieces of the right sizes, then the end', (_label, chunking, largest) => {
    let at = 0;
    let pieces = 0;
    let last: ReplayInput | undefined;
    for (const input of inputsFromTrace(trace, chunking)) {
      last = input;
      if (!Buffer.isBuffer(input)) continue;
      pieces++;
      if (input.length < 1 || input.length > largest || !input.equals(frame.subarray(at, at + input.length)))
        throw new Error(`piece ${pieces} at ${at}: ${input.length} B, not the frame's`);
      at += input.length;
    }
    expect(at).toBe(frame.length);
    expect(pieces).toBeGreaterThanOrEqual(frame.length / largest);
    expect(last).toEqual({ end: true });
  });
});
