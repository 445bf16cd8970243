/** Every recorded queue trace (npm run fixtures) replayed into a fresh machine: TCP in four chunkings, UDP datagram by datagram. */
import { join } from 'node:path';
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
