/** Every recorded transfer trace (npm run fixtures) replayed into a fresh machine over memory, in four chunkings. */
import { join } from 'node:path';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { specFromTrace } from './trace-world';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'transfer');

it('covers every path of both machines', () => {
  const scenarios = fixtureScenarios(DIR);
  for (const path of [
    'download-ok',
    'download-empty',
    'download-missing',
    'download-busy',
    'download-cancelled-by-client',
    'download-escaping-name',
    'upload-ok',
    'upload-empty',
    'upload-existing-name',
    'upload-busy',
    'upload-refused-size',
    'upload-interrupted-by-client',
    'upload-not-stored-by-server',
    'proxy-download-ok',
    'proxy-upload-ok',
    'ext-download-ok',
    'ext-upload-ok',
    'ext-proxy-upload-ok',
    'ext-upload-digest-mismatch',
    'ext-list-ok',
    'ext-list-not-agreed',
    'ext-list-without-hello',
  ]) {
    expect(scenarios).toContain(path);
  }
});

replayFixtures(DIR, specFromTrace);
