/** The recorded advanced server trace (npm run fixtures) replayed against the folder its replies reveal, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { ardeiAdvancedTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'ardei-advanced');

it('covers a session of every command, found and not found', () => {
  expect([...fixtureScenarios(DIR)]).toEqual(['session']);
});

replayFixtures(DIR, ardeiAdvancedTraceSupport().specFromTrace);
