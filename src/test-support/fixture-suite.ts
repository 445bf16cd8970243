/**
 * The fixture test every protocol runs: each recorded trace in a folder is
 * replayed into a fresh machine, which must send the same bytes, visit the
 * same states and end the same way, whether the inbound bytes come as
 * recorded, one byte at a time, or cut at seeded random points (TCP; a UDP
 * trace keeps its datagrams).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace } from '../trace/trace-format';
import { differences, expectedFromTrace, replayTrace, type Chunking, type SpecFromTrace } from '../trace/trace-replay';

export const CHUNKINGS: [string, Chunking][] = [
  ['as recorded', { kind: 'recorded' }],
  ['in 1-byte pieces', { kind: 'bytes' }],
  ['cut at random points (seed 1)', { kind: 'random', seed: 1 }],
  ['cut at random points (seed 2)', { kind: 'random', seed: 2 }],
];

/** The scenario names (file names without `.server|client.jsonl`) found in `dir`. */
export function fixtureScenarios(dir: string): Set<string> {
  return new Set(fixtureFiles(dir).map((file) => file.replace(/\.(server|client)\.jsonl$/, '')));
}

export function replayFixtures(dir: string, specFromTrace: SpecFromTrace): void {
  describe.each(fixtureFiles(dir))('%s', (file) => {
    const trace = parseTrace(readFileSync(join(dir, file), 'utf8'));
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
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort();
}
