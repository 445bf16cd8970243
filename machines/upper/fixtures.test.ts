/** Every recorded upper trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { upperTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'upper');

it('covers every path recorded for the exercise', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(['ok', 'no-newline-then-end', 'crlf'].sort());
});

replayFixtures(DIR, upperTraceSupport().specFromTrace);
