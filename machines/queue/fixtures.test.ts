/** Every recorded queue trace (npm run fixtures) replayed into a fresh machine: TCP in four chunkings, UDP datagram by datagram. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace, type Trace } from '../../src/trace/trace-format';
import { differences, expectedFromTrace, replayTrace } from '../../src/trace/trace-replay';
import { fixtureScenarios, replayFixtures } from '../../src/test-support/fixture-suite';
import { queueTraceSupport } from './trace-support';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'queue');

it('covers every path of the machines over both transports', () => {
  expect([...fixtureScenarios(DIR)].sort()).toEqual(
    [
      'tcp-send-ok',
      'tcp-receive-ok',
      'tcp-receive-empty',
      'tcp-send-over-cap',
      'tcp-send-nothing',
      'tcp-send-confirmed',
      'tcp-send-confirmed-over-cap',
      'tcp-send-confirm-no-offer',
      'udp-send-ok',
      'udp-receive-ok',
      'udp-receive-empty',
      'udp-peer-session',
    ].sort(),
  );
});

replayFixtures(DIR, queueTraceSupport('tcp').specFromTrace);

it('replays a send whose end came just after the idle timeout, the live timer late and the end first, as stored', async () => {
  // tcp-send-ok as a server run with --idle-timeout 2 would record it when its loop was busy: the end 2005.8 ms after the bytes.
  const trace = parseTrace(readFileSync(join(DIR, 'tcp-send-ok.server.jsonl'), 'utf8'));
  const bytesAt = trace.entries.find((entry) => 'in' in entry)?.t ?? 0;
  const late = (t: number, endAt: number) => (t >= endAt ? t - endAt + bytesAt + 2005.8 : t);
  const endAt = trace.entries.find((entry) => 'end' in entry)?.t ?? 0;
  const slow: Trace = {
    header: { ...trace.header, input: { ...(trace.header.input as object), idleTimeoutMs: 2000 } },
    entries: trace.entries.map((entry) => ({ ...entry, t: late(entry.t, endAt) })),
  };
  const result = await replayTrace(slow, queueTraceSupport('tcp').specFromTrace, { kind: 'recorded' });
  expect(differences(expectedFromTrace(slow), result)).toEqual([]);
  expect(result.outcome?.outcome).toBe('stored');
});
