/** Every recorded sum trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { sumTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'sum');

it('covers every path recorded for the exercise', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(['ok', 'out-of-range-stops', 'not-a-number'].sort());
});

replayFixtures(DIR, sumTraceSupport().specFromTrace);
