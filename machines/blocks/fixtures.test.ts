/** Every recorded blocks trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { blocksTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'blocks');

it('covers every path recorded for the exercise', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(['ok', 'empty-file', 'missing', 'escaping-name'].sort());
});

replayFixtures(DIR, blocksTraceSupport().specFromTrace);
