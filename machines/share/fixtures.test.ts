/** Every recorded share trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { shareTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'share');

it('covers every path of the machines', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(
    ['put-ok', 'put-existing-name', 'get-ok', 'get-missing', 'list', 'unknown-request'].sort(),
  );
});

replayFixtures(DIR, shareTraceSupport().specFromTrace);
