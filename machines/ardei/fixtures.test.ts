/** Every recorded ardei trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { ardeiTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'ardei');

it('covers the requests that need no clock', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(['echo', 'file', 'over-limit', 'negative'].sort());
});

replayFixtures(DIR, ardeiTraceSupport('tcp').specFromTrace);
