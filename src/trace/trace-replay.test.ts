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

/** A server trace's header; the protocol is never read by what these tests call. */
const HEADER: Trace['header'] = {
  trace: 'wirestate/1',
  protocol: 'transfer',
  role: 'server',
  connection: 'c1',
  peer: '127.0.0.1:1',
  version: '0',
  started: '2026-12-01T00:00:00.000Z',
  input: {},
};

describe('the peer inputs of a trace with a big frame, cut as a replay takes them', () => {
  const MiB = 1024 * 1024;
  const frame = Buffer.alloc(2 * MiB, 'wirestate ');
  const trace: Trace = {
    header: HEADER,
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

describe('the time a replay lets pass after the peer has spoken', () => {
  const bytes = Buffer.from('hello');
  // The peer's bytes, the machine's state 1 ms later, the peer's end 2006 ms after its bytes, the machine's last entries 2 ms after that.
  const trace: Trace = {
    header: HEADER,
    entries: [
      { t: 1, in: bytes.toString('base64') },
      { t: 2, state: 'receiving' },
      { t: 2007, end: 'peer' },
      { t: 2008, state: 'stored' },
      { t: 2009, outcome: { ok: true, outcome: 'stored', code: 'ok', bytes: 5 } },
    ],
  };

  it("before the peer's end, timers fire only as far as the machine's last entry since its bytes, the rest passes quietly", () => {
    // A live timer due within the 2006 ms after that entry did not fire (the end came first), so none may in the replay.
    expect([...inputsFromTrace(trace, { kind: 'recorded' })].slice(0, 5)).toEqual([
      { quietly: 1 },
      bytes,
      { wait: 1 },
      { quietly: 2005 },
      { end: true },
    ]);
  });

  it("after the peer's last action, until the trace's last entry: a timeout with nothing after it happens again", () => {
    expect([...inputsFromTrace(trace, { kind: 'recorded' })].slice(5)).toEqual([{ wait: 2 }]);
    expect([...inputsFromTrace(trace, { kind: 'bytes' })].slice(-4)).toEqual([
      { wait: 1 },
      { quietly: 2005 },
      { end: true },
      { wait: 2 },
    ]);
  });

  it('lets time in which the machine was not seen acting pass quietly, before the first bytes too', () => {
    const quiet: Trace = { header: HEADER, entries: [trace.entries[0], trace.entries[2]] };
    expect([...inputsFromTrace(quiet, { kind: 'recorded' })]).toEqual([
      { quietly: 1 },
      bytes,
      { quietly: 2006 },
      { end: true },
    ]);
  });

  it('cut into pieces, lets the time from the first bytes to the last pass quietly once they have gone', () => {
    const trickled: Trace = {
      header: HEADER,
      entries: [
        { t: 1, in: bytes.subarray(0, 2).toString('base64') },
        { t: 500, in: bytes.subarray(2).toString('base64') },
        { t: 1001, state: 'failed' },
      ],
    };
    const inputs = [...inputsFromTrace(trickled, { kind: 'random', seed: 1 })];
    expect(inputs.filter((input) => !Buffer.isBuffer(input))).toEqual([
      { quietly: 1 },
      { quietly: 499 },
      { wait: 501 },
    ]);
    expect(Buffer.concat(inputs.filter((input): input is Buffer => Buffer.isBuffer(input)))).toEqual(bytes);
  });
});
