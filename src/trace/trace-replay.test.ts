import type { ReplayResult } from '../engine/replay';
import { differences, type Expected } from './trace-replay';

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
