/** A short run of the crash-consistency harness: real servers SIGKILLed under load lose and duplicate nothing acknowledged. */
import { CLI } from '../src/test-support/processes';
import { crashRounds } from './crash-rounds';

it('6 kill rounds (3 with large messages): every acknowledged message and upload survives, once and whole', async () => {
  const figures = await crashRounds({ cli: CLI, rounds: 6, seconds: 90, senders: 12, receivers: 6, uploaders: 3 });
  expect(figures).toMatchObject({
    rounds: 6,
    kills: 6,
    largeMessageRounds: 3,
    lost: 0,
    duplicated: 0,
    corrupt: 0,
    tempFiles: 0,
  });
  expect(figures.queue.acknowledged).toBeGreaterThan(0);
  expect(figures.uploads.acknowledged).toBeGreaterThan(0);
}, 180_000);
