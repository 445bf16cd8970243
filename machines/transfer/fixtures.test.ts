/**
 * Every recorded trace in fixtures/traces/transfer (npm run fixtures) replayed
 * into a fresh machine over memory: it must send the same bytes, visit the same
 * states and end the same way, whether the inbound bytes come as recorded, one
 * byte at a time, or cut at seeded random points.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace } from '../../src/trace/trace-format';
import { differences, expectedFromTrace, replayTrace, type Chunking } from '../../src/trace/trace-replay';
import { specFromTrace } from './trace-world';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'transfer');
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.jsonl')).sort();

const CHUNKINGS: [string, Chunking][] = [
  ['as recorded', { kind: 'recorded' }],
  ['in 1-byte pieces', { kind: 'bytes' }],
  ['cut at random points (seed 1)', { kind: 'random', seed: 1 }],
  ['cut at random points (seed 2)', { kind: 'random', seed: 2 }],
];

it('covers every path of both machines', () => {
  const scenarios = new Set(FILES.map((file) => file.replace(/\.(server|client)\.jsonl$/, '')));
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
  ]) {
    expect(scenarios).toContain(path);
  }
});

describe.each(FILES)('%s', (file) => {
  const trace = parseTrace(readFileSync(join(DIR, file), 'utf8'));
  const expected = expectedFromTrace(trace);

  it('records states and an outcome to check against', () => {
    expect(expected.states.length).toBeGreaterThan(1);
    expect(expected.outcome).toBeDefined();
  });

  it.each(CHUNKINGS)('replays identically %s', async (_label, chunking) => {
    const actual = await replayTrace(trace, specFromTrace, chunking);
    expect(differences(expected, actual)).toEqual([]);
  });
});
