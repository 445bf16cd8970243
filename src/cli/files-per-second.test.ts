/** A run's summary rate of files: a slow run of a few files read `0 files/s`. */
import { filesPerSecond } from './client-run';

it.each([
  [2, 4.2, '0.5 files/s'],
  [1, 0.5, '2.0 files/s'],
  [1000, 5.26, '190 files/s'],
])('%d files in %d s: %s', (files, seconds, said) => expect(filesPerSecond(files, seconds)).toBe(said));
