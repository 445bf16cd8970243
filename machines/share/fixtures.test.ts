/** Every recorded share trace (npm run fixtures) replayed into a fresh machine, in four chunkings. */
import { join } from 'node:path';
import { parseTrace } from '../../src/trace/trace-format';
import { differences, expectedFromTrace, replayTrace } from '../../src/trace/trace-replay';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { shareTraceSupport } from '.';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'share');

it('covers every path of the machines', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(
    ['put-ok', 'put-existing-name', 'get-ok', 'get-missing', 'list', 'unknown-request'].sort(),
  );
});

replayFixtures(DIR, shareTraceSupport().specFromTrace);

it('replays a request the client reset before it was whole (`get,a`, then RST, recorded live) as interrupted, unanswered', async () => {
  const trace = parseTrace(
    [
      '{"trace":"wirestate/1","protocol":"share","role":"server","connection":"c1","peer":"127.0.0.1:44196","input":{"maxRequest":4096,"quietMs":50,"idleTimeoutMs":30000,"passGapMs":50,"maxUploadSize":9007199254740991,"owner":"c1"},"version":"0.1.0","started":"2026-12-03T11:57:10.286Z"}',
      '{"t":4.99,"state":"client_connect"}',
      '{"t":8.244,"in":"Z2V0LGE="}',
      '{"t":10.701,"error":"ECONNRESET"}',
      '{"t":11.574,"state":"failed"}',
      '{"t":14.061,"outcome":{"ok":false,"outcome":"interrupted","code":"socket.error","bytes":0,"detail":"the connection was reset by the other side (ECONNRESET)"}}',
      '',
    ].join('\n'),
  );
  for (const chunking of [{ kind: 'recorded' }, { kind: 'bytes' }, { kind: 'random', seed: 3 }] as const) {
    const result = await replayTrace(trace, shareTraceSupport().specFromTrace, chunking);
    expect(differences(expectedFromTrace(trace), result)).toEqual([]);
  }
});
